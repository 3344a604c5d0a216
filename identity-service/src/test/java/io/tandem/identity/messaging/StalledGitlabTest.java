package io.tandem.identity.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.CapturedLogs;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;

/**
 * A GitLab that accepts connections and never answers (its read timeout is longer than an attempt): every attempt
 * ends at its deadline, and the record goes to the dead letters with the reason logged, instead of waiting for ever
 * unacknowledged.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(StalledGitlabTest.SilentGitlab.class)
class StalledGitlabTest {

    private static final String DLQ = Topics.deadLetter("identity-service", "invocations-requested");

    public static class SilentGitlab implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.gitlab.url", "http://127.0.0.1:" + BlackHole.PORT,
                    "tandem.gitlab.read-timeout", "120s",
                    "tandem.identity.decision-attempt-timeout", "1s");
        }
    }

    @Test
    void aDecisionThatNeverEndsFailsAtItsDeadlineAndIsDeadLettered() {
        User requester = new User().withId(4242L).withUsername("stuck").withName("Stuck");
        InvocationRequested request = Invocations.mentionIn(77L, "acme/stuck", 1, requester, true, 99L,
                "ai-claude-acme");
        String invocationId = request.invocation().invocationId();
        try (TopicReader deadLetters = new TopicReader(DLQ);
                CapturedLogs consumerLog = CapturedLogs.of(InvocationRequestedConsumer.class)) {
            Invocations.publish(request);

            CapturedLogs.Line retried = consumerLog.await("invocation " + invocationId + ": attempt failed");
            assertTrue(retried.message().contains("TimeoutException: not done within 1 s"), retried.message());
            List<Received> dead = deadLetters.await(Received.invocation(invocationId), 1);
            assertTrue(dead.get(0).headers().getOrDefault("dead-letter-reason", "").contains("not done within 1 s"),
                    dead.get(0).headers().toString());
            CapturedLogs.Line given = consumerLog.await("invocation " + invocationId + " failed, its record goes to the dead letters");
            assertTrue(given.message().contains("TimeoutException"), given.message());
            assertFalse(given.message().contains("sim-root-token"), "no token in the log");
        }
    }

    /** Accepts connections and never answers. */
    static final class BlackHole {

        /** Held, so that no accepted connection is closed by the garbage collector. */
        private static final List<Socket> ACCEPTED = new CopyOnWriteArrayList<>();
        static final int PORT;

        static {
            try {
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                PORT = server.getLocalPort();
                Thread acceptor = new Thread(() -> {
                    while (!server.isClosed()) {
                        try {
                            ACCEPTED.add(server.accept());
                        } catch (IOException e) {
                            return;
                        }
                    }
                }, "silent-gitlab");
                acceptor.setDaemon(true);
                acceptor.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private BlackHole() {
        }
    }
}
