package io.tandem.identity.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.gitlab4j.api.models.User;

/** Authorized runs and their run tokens, and calls through the GitLab proxy with them. */
public final class Runs {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** An authorized run of the service account's agent for {@code human} in the world's project. */
    public static Run authorized(GitlabWorld world, User human, long serviceAccountId, String serviceAccount) {
        return authorized(Invocations.mention(world, human, serviceAccountId, serviceAccount, true));
    }

    /** Publishes the request, waits for identity-service to authorize it, and mints its run token. */
    public static Run authorized(InvocationRequested request) {
        String invocationId = request.invocation().invocationId();
        try (TopicReader authorized = new TopicReader(Topics.INVOCATIONS_AUTHORIZED)) {
            Invocations.publish(request);
            authorized.await(Received.invocation(invocationId), 1);
        }
        return new Run(invocationId, runToken(invocationId));
    }

    /** A fresh run token of an authorized invocation (signed by the key active now). */
    public static String runToken(String invocationId) {
        return InternalApi.internal().post("/internal/v1/invocations/" + invocationId + "/run-token")
                .then().statusCode(200).extract().path("token");
    }

    /** A call through the proxy with the run token as {@code PRIVATE-TOKEN}. */
    public static RequestSpecification through(String runToken) {
        return given().urlEncodingEnabled(false).header("PRIVATE-TOKEN", runToken);
    }

    /** GET through the proxy with a plain HTTP client (safe to call from several threads at once). */
    public static int statusOfGet(String runToken, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("PRIVATE-TOKEN", runToken).timeout(Duration.ofSeconds(30)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public static String projectApi(Object idOrPath) {
        return "/api/v4/projects/" + URLEncoder.encode(String.valueOf(idOrPath), StandardCharsets.UTF_8);
    }

    public record Run(String id, String token) {
    }

    private Runs() {
    }
}
