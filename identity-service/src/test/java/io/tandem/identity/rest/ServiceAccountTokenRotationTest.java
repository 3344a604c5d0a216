package io.tandem.identity.rest;

import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.tandem.events.Topics;
import io.tandem.identity.service.ServiceAccountTokenRotation;
import io.tandem.identity.support.Database;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Runs;
import io.tandem.identity.support.Runs.Run;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.junit.jupiter.api.Test;

/**
 * Service account tokens rotated through GitLab's rotate endpoint (the simulator's): the successor is stored and
 * works, the old token is refused by GitLab, a second sweep does nothing, and the proxy keeps working across it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class ServiceAccountTokenRotationTest {

    private final GitlabWorld world = GitlabWorld.get();

    @Inject
    ServiceAccountTokenRotation rotation;

    @Test
    void aTokenDueForRenewalIsRotatedBySweepAndTheOldOneStopsWorking() throws Throwable {
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Rotate Bot");
        long userId = ((Number) account.get("id")).longValue();
        String username = (String) account.get("username");
        internal().put("/internal/v1/service-accounts/" + userId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        Run run = Runs.authorized(world, world.developer, userId, username);
        String issues = Runs.projectApi(world.project.getId()) + "/issues";
        assertEquals(200, Runs.through(run.token()).get(issues).statusCode());
        String before = gitlabToken(userId);
        long tokenIdBefore = storedTokenId(userId);
        // Expires within the renew window (30 days): due.
        setExpiry(userId, LocalDate.now(ZoneOffset.UTC).plusDays(5));

        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            assertTrue(sweep() >= 1, "the sweep rotated the due token");

            String after = gitlabToken(userId);
            assertNotEquals(before, after, "the stored token is the successor");
            assertEquals(username, currentUser(after), "the successor works in GitLab");
            GitLabApiException refused = org.junit.jupiter.api.Assertions.assertThrows(GitLabApiException.class,
                    () -> currentUser(before));
            assertEquals(401, refused.getHttpStatus(), "GitLab revoked the old token");
            assertNotEquals(tokenIdBefore, storedTokenId(userId), "the successor's GitLab id is stored");
            assertEquals(LocalDate.now(ZoneOffset.UTC).plusDays(365), storedExpiry(userId));

            assertEquals(0, sweep(), "nothing is due any more");
            assertEquals(after, gitlabToken(userId), "a second sweep leaves the token alone");

            // The same run token goes on working: the proxy forwards with the successor.
            assertEquals(200, Runs.through(run.token()).get(issues).statusCode());

            Received rotated = audit.await(r -> "service-account.token-rotated".equals(r.value().path("type").asText())
                    && String.valueOf(userId).equals(r.value().at("/data/userId").asText()), 1).get(0);
            assertEquals(username, rotated.value().path("serviceAccount").asText());
            assertEquals("group:" + world.group.getId(), rotated.key());
            assertFalse(rotated.value().toString().contains(before) || rotated.value().toString().contains(after),
                    "no token in the audit event");
        }
    }

    @Test
    void proxyCallsAcrossARotationAllSucceedAndTheOldTokenLeadsToItsSuccessor() throws Throwable {
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Busy Bot");
        long userId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + userId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        Run run = Runs.authorized(world, world.developer, userId, (String) account.get("username"));
        String issues = Runs.projectApi(world.project.getId()) + "/issues";
        // The proxy now holds the current token (it keeps it for a while): after the rotation GitLab refuses it.
        assertEquals(200, Runs.statusOfGet(run.token(), issues));
        String before = gitlabToken(userId);

        AtomicBoolean rotated = new AtomicBoolean(false);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        List<Future<List<Integer>>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                statuses.add(callers.submit(() -> {
                    List<Integer> seen = new ArrayList<>();
                    int afterRotation = 0;
                    while (afterRotation < 3) {
                        boolean done = rotated.get();
                        seen.add(Runs.statusOfGet(run.token(), issues));
                        afterRotation += done ? 1 : 0;
                    }
                    return seen;
                }));
            }
            internal().post("/internal/v1/service-accounts/" + userId + "/gitlab-token/rotate").then().statusCode(200);
            rotated.set(true);
            String after = gitlabToken(userId);
            assertNotEquals(before, after);
            assertEquals(after, VertxContextSupport.subscribeAndAwait(() -> rotation.successorOf(before)),
                    "the rotated token leads to its successor");
            assertNull(VertxContextSupport.subscribeAndAwait(() -> rotation.successorOf(after)),
                    "the current token has no successor");
            assertNull(VertxContextSupport.subscribeAndAwait(() -> rotation.successorOf("glpat-not-ours")));
        } finally {
            rotated.set(true);
            callers.shutdown();
        }
        for (Future<List<Integer>> caller : statuses) {
            List<Integer> seen = caller.get();
            assertTrue(seen.stream().allMatch(status -> status == 200), "every proxied call succeeded: " + seen);
        }
        // After the rotation, with the old token still in the proxy's hands: retried with the successor.
        assertEquals(200, Runs.statusOfGet(run.token(), issues));
    }

    @Test
    void rotatingAnUnknownAccountIs404() {
        internal().post("/internal/v1/service-accounts/987654/gitlab-token/rotate").then().statusCode(404);
    }

    private int sweep() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> rotation.rotateDue());
    }

    private static String currentUser(String token) throws GitLabApiException {
        try (GitLabApi api = new GitLabApi(GitlabSimTestResource.url(), token)) {
            return api.getUserApi().getCurrentUser().getUsername();
        }
    }

    private static String gitlabToken(long userId) {
        return internal().post("/internal/v1/service-accounts/" + userId + "/gitlab-token")
                .then().statusCode(200).extract().path("token");
    }

    private static void setExpiry(long userId, LocalDate day) throws Exception {
        try (Connection db = Database.connect();
                PreparedStatement update = db.prepareStatement(
                        "update service_account set token_expires_at = ? where user_id = ?")) {
            update.setObject(1, day);
            update.setLong(2, userId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static long storedTokenId(long userId) throws Exception {
        return ((Number) column(userId, "token_id")).longValue();
    }

    private static LocalDate storedExpiry(long userId) throws Exception {
        return ((java.sql.Date) column(userId, "token_expires_at")).toLocalDate();
    }

    private static Object column(long userId, String column) throws Exception {
        try (Connection db = Database.connect();
                PreparedStatement select = db.prepareStatement(
                        "select " + column + " from service_account where user_id = ?")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                return row.getObject(1);
            }
        }
    }
}
