package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.User;
import org.gitlab4j.api.models.Variable;

/**
 * The simulator as the tests see it: seeding as root through GitLab's own admin API, and what a user would
 * look at afterwards (pipelines with their variables, the notes of a thread). Every wait is bounded by
 * {@link #WAIT}.
 */
final class SimGitlab {

    static final Duration WAIT = Duration.ofMinutes(2);
    /** Short: most waits are for a step that takes well under a second, and each poll is one cheap API call. */
    static final Duration POLL = Duration.ofMillis(200);

    final GitLabApi root;
    private final String url;

    SimGitlab(String url) {
        this.url = url;
        this.root = new GitLabApi(url, "sim-root-token");
    }

    String url() {
        return url;
    }

    User createUser(String username) throws GitLabApiException {
        User user = new User().withUsername(username).withName(username.substring(0, 1).toUpperCase()
                + username.substring(1)).withEmail(username + "@example.com");
        return root.getUserApi().createUser(user, "password-" + username, false);
    }

    String token(User user) throws GitLabApiException {
        Date expires = new Date(System.currentTimeMillis() + Duration.ofDays(2).toMillis());
        return root.getUserApi().createPersonalAccessToken(user.getId(), "e2e", expires,
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API}).getToken();
    }

    /** A gitlab4j client acting as that user. */
    GitLabApi as(User user) throws GitLabApiException {
        return new GitLabApi(url, token(user));
    }

    // --- pipelines -----------------------------------------------------------------------------

    Pipeline awaitPipeline(long projectId, Predicate<Map<String, String>> variablesMatching) {
        return await().atMost(WAIT).pollInterval(POLL)
                .until(() -> pipelines(projectId, variablesMatching).stream().findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    Pipeline awaitPipelineFor(long projectId, String input) {
        return awaitPipeline(projectId, vars -> input.equals(vars.get("AI_FLOW_INPUT")));
    }

    /** The project's pipelines whose variables match, oldest first, each as {@code GET pipelines/:id} returns it. */
    List<Pipeline> pipelines(long projectId, Predicate<Map<String, String>> variablesMatching)
            throws GitLabApiException {
        return root.getPipelineApi().getPipelines(projectId).stream()
                .filter(p -> variablesMatching.test(variables(projectId, p)))
                .map(p -> {
                    try {
                        return root.getPipelineApi().getPipeline(projectId, p.getId());
                    } catch (GitLabApiException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .sorted((a, b) -> Long.compare(a.getId(), b.getId()))
                .collect(Collectors.toList());
    }

    List<Pipeline> pipelinesFor(long projectId, String input) throws GitLabApiException {
        return pipelines(projectId, vars -> input.equals(vars.get("AI_FLOW_INPUT")));
    }

    Map<String, String> variables(long projectId, Pipeline pipeline) {
        try {
            return root.getPipelineApi().getPipelineVariables(projectId, pipeline.getId()).stream()
                    .collect(Collectors.toMap(Variable::getKey, Variable::getValue));
        } catch (GitLabApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a pipeline on, as a runner would: {@code running}, {@code success}, {@code failed}, {@code canceled}. */
    void pipelineStatus(long projectId, long pipelineId, String status) {
        given().contentType(ContentType.JSON).body(Map.of("status", status))
                .post(url + "/-/sim/projects/" + projectId + "/pipelines/" + pipelineId + "/status")
                .then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    // --- webhook deliveries --------------------------------------------------------------------

    List<Map<String, Object>> deliveries() {
        return given().get(url + "/-/sim/webhook-deliveries").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    void redeliver(String idempotencyKey) {
        given().post(url + "/-/sim/webhook-deliveries/" + idempotencyKey + "/redeliver")
                .then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    // --- fault injection ------------------------------------------------------------------------

    /**
     * Fails the next {@code times} API calls whose method and path (below the host, from {@code /api/v4}) match
     * with {@code status} (429 or 5xx), as GitLab's rate limiter or a sick backend would; {@code retryAfterSeconds}
     * (optional) is sent as {@code Retry-After}. Returns the fault's id.
     */
    long injectFault(String method, String pathPattern, int status, Integer retryAfterSeconds, int times) {
        Map<String, Object> fault = new HashMap<>(Map.of("method", method, "pathPattern", pathPattern,
                "status", status, "times", times));
        if (retryAfterSeconds != null) {
            fault.put("retryAfterSeconds", retryAfterSeconds);
        }
        return given().contentType(ContentType.JSON).body(fault).post(url + "/-/sim/faults")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** How many more calls the fault will fail: 0 once it has failed them all (the simulator then drops it). */
    int faultRemaining(long faultId) {
        List<Map<String, Object>> active = given().get(url + "/-/sim/faults").then().statusCode(200).extract()
                .jsonPath().getList("$");
        return active.stream().filter(f -> ((Number) f.get("id")).longValue() == faultId)
                .mapToInt(f -> ((Number) f.get("remaining")).intValue()).findFirst().orElse(0);
    }

    void clearFaults() {
        given().delete(url + "/-/sim/faults").then().statusCode(204);
    }
}
