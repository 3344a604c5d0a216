package io.tandem.identity.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.CapturedLogs;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.User;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A burst of requests, some of which make GitLab answer 404, 429 or 500: every request gets exactly one decision
 * within a bounded time, a request GitLab keeps failing goes to the dead letters with its reason logged, and
 * nothing stalls behind it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class InvocationBurstTest {

    private static final Logger LOG = Logger.getLogger(InvocationBurstTest.class);
    // Three requests of each of the ten kinds below: enough to keep every partition busy behind the failing ones.
    private static final int BURST = 30;
    private static final Duration BOUND = Duration.ofSeconds(150);
    private static final String DLQ = Topics.deadLetter("identity-service", "invocations-requested");

    @Test
    void everyRequestOfABurstIsDecidedOnceAndAFailingOneGoesToTheDeadLetters() throws Exception {
        GitlabWorld world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Burst");
        long serviceAccountId = ((Number) account.get("id")).longValue();
        String serviceAccount = (String) account.get("username");
        InternalApi.internal().put("/internal/v1/service-accounts/" + serviceAccountId + "/projects/"
                + world.project.getId()).then().statusCode(204);
        User flaky = world.newUser("flaky");
        User sick = world.newUser("sick");
        for (User user : List.of(flaky, sick)) {
            world.root.getProjectApi().addMember(world.project.getId(), user.getId(), AccessLevel.DEVELOPER);
        }
        User ghost = new User().withUsername("ghost-" + world.suffix).withName("Ghost");
        long project = world.project.getId();
        String path = world.project.getPathWithNamespace();

        // flaky's role reads fail 3 times in all (500, 500, 429): fewer than the consumer's attempts.
        fault(500, 2, "/members/all/" + flaky.getId() + "$");
        fault(429, 1, "/members/all/" + flaky.getId() + "$");
        // sick's role reads always fail: those requests must end in the dead letters, not stall the partition.
        fault(500, 10_000, "/members/all/" + sick.getId() + "$");

        Map<String, Boolean> expected = new HashMap<>();
        List<InvocationRequested> burst = new ArrayList<>();
        Set<String> sickOnes = new HashSet<>();
        for (int i = 0; i < BURST + 3; i++) {
            long iid = 100_000L + i;
            InvocationRequested request;
            boolean allowed;
            if (i >= BURST) {
                request = Invocations.mentionIn(project, path, iid, sick, true, serviceAccountId, serviceAccount);
                sickOnes.add(request.invocation().invocationId());
                burst.add(request);
                continue;
            }
            switch (i % 10) {
                case 0 -> {
                    request = Invocations.mentionIn(project, path, iid, world.guest, true, serviceAccountId, serviceAccount);
                    allowed = false;
                }
                case 1 -> {
                    // No such user: GitLab answers 404 to the look-up by username.
                    request = Invocations.mentionIn(project, path, iid, ghost, false, serviceAccountId, serviceAccount);
                    allowed = false;
                }
                case 2 -> {
                    // No such project: 404 to both role reads.
                    request = Invocations.mentionIn(987_654_321L, "nowhere/app", iid, world.developer, true,
                            serviceAccountId, serviceAccount);
                    allowed = false;
                }
                case 3 -> {
                    request = Invocations.mentionIn(project, path, iid, flaky, true, serviceAccountId, serviceAccount);
                    allowed = true;
                }
                case 4 -> {
                    // By username only: one more GitLab call.
                    request = Invocations.mentionIn(project, path, iid, world.owner, false, serviceAccountId, serviceAccount);
                    allowed = true;
                }
                default -> {
                    request = Invocations.mentionIn(project, path, iid, world.developer, true, serviceAccountId, serviceAccount);
                    allowed = true;
                }
            }
            expected.put(request.invocation().invocationId(), allowed);
            burst.add(request);
        }
        // The sick ones first and in the middle, so that healthy requests wait behind them in their partitions.
        burst.add(0, burst.remove(BURST));
        burst.add(BURST / 2, burst.remove(BURST + 1));

        try (TopicReader authorized = new TopicReader(Topics.INVOCATIONS_AUTHORIZED);
                TopicReader denied = new TopicReader(Topics.INVOCATIONS_DENIED);
                TopicReader deadLetters = new TopicReader(DLQ);
                CapturedLogs consumerLog = CapturedLogs.of(InvocationRequestedConsumer.class)) {
            long start = System.nanoTime();
            Invocations.publishAll(burst);
            Map<String, Integer> decisions = new HashMap<>();
            Awaitility.await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).until(() -> {
                count(decisions, authorized.drain(r -> true), denied.drain(r -> true), expected.keySet());
                return decisions.size() == expected.size();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.infof("BURST: %d requests decided in %.1f s (%.1f decisions/s)", expected.size(), seconds,
                    expected.size() / seconds);

            List<Received> dead = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deadLetters.drain(r -> sickOnes.contains(r.value().path("invocation")
                            .path("invocationId").asText())), list -> list.size() >= sickOnes.size());
            assertEquals(sickOnes.size(), dead.stream().map(r -> r.value().path("invocation").path("invocationId")
                    .asText()).distinct().count(), "every sick request is dead-lettered");
            assertTrue(dead.stream().allMatch(r -> r.headers().getOrDefault("dead-letter-reason", "")
                    .contains("GitLab answered 500")), "the dead letter carries GitLab's answer");
            for (String invocationId : sickOnes) {
                CapturedLogs.Line line = consumerLog.await(invocationId);
                assertTrue(line.message().contains("GitLab answered 500"), line.message());
                assertFalse(line.message().contains(GitlabSimulator.ROOT_TOKEN), "no token in the log");
            }

            // Let stragglers (a duplicate, a late decision of a dead-lettered one) show up before counting: one more
            // request per partition, decided only after everything before it in its partition.
            List<InvocationRequested> lastInLine = onePerPartition(project, path, world.developer, serviceAccountId,
                    serviceAccount);
            Invocations.publishAll(lastInLine);
            for (InvocationRequested last : lastInLine) {
                authorized.await(Received.invocation(last.invocation().invocationId()), 1);
            }
            count(decisions, authorized.drain(r -> true), denied.drain(r -> true), expected.keySet());
            Map<String, Integer> repeated = decisions.entrySet().stream().filter(e -> e.getValue() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertTrue(repeated.isEmpty(), "decided more than once: " + repeated);
            List<String> wrong = new ArrayList<>();
            for (Received r : authorized.drain(r -> true)) {
                String id = r.value().path("invocation").path("invocationId").asText();
                if (Boolean.FALSE.equals(expected.get(id)) || sickOnes.contains(id)) {
                    wrong.add(id);
                }
            }
            for (Received r : denied.drain(r -> true)) {
                String id = r.value().path("invocation").path("invocationId").asText();
                if (Boolean.TRUE.equals(expected.get(id)) || sickOnes.contains(id)) {
                    wrong.add(id);
                }
            }
            assertTrue(wrong.isEmpty(), "wrong outcome for " + wrong);
        } finally {
            clearFaults();
        }
    }

    private static void count(Map<String, Integer> decisions, List<Received> authorized, List<Received> denied,
            Set<String> ours) {
        decisions.clear();
        for (List<Received> topic : List.of(authorized, denied)) {
            for (Received r : topic) {
                String id = r.value().path("invocation").path("invocationId").asText();
                if (ours.contains(id)) {
                    decisions.merge(id, 1, Integer::sum);
                }
            }
        }
    }

    /** A request (allowed) in a thread of each of the topic's partitions, as Kafka's default partitioner places keys. */
    private static List<InvocationRequested> onePerPartition(long project, String path, User requester,
            long serviceAccountId, String serviceAccount) {
        Map<Integer, InvocationRequested> byPartition = new HashMap<>();
        for (long iid = 200_000L; byPartition.size() < KafkaBroker.PARTITIONS; iid++) {
            InvocationRequested request = Invocations.mentionIn(project, path, iid, requester, true, serviceAccountId,
                    serviceAccount);
            int partition = Utils.toPositive(Utils.murmur2(request.key().getBytes(StandardCharsets.UTF_8)))
                    % KafkaBroker.PARTITIONS;
            byPartition.putIfAbsent(partition, request);
        }
        return List.copyOf(byPartition.values());
    }

    private static void fault(int status, int times, String pathPattern) throws Exception {
        String query = "status=" + status + "&times=" + times + "&method=GET&pathPattern="
                + URLEncoder.encode(pathPattern, StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(GitlabSimTestResource.url() + "/-/sim/faults?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static void clearFaults() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url() + "/-/sim/faults"))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
}
