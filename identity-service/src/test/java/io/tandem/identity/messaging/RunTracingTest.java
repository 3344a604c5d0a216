package io.tandem.identity.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.service.InvocationDecisionService;
import io.tandem.testsupport.CapturedLogs;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * With tracing on (as it is in every test: application.properties, %test), a decision continues the trace of the request it decides (the {@code traceparent} Kafka
 * header, in and out), and the lines logged about it carry the run id in their MDC.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class RunTracingTest {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

    @Test
    void theDecisionContinuesTheRequestsTraceAndItsLogLinesCarryTheRunId() {
        GitlabWorld world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Claude");
        long serviceAccountId = ((Number) account.get("id")).longValue();
        InternalApi.internal().put("/internal/v1/service-accounts/" + serviceAccountId + "/projects/"
                + world.project.getId()).then().statusCode(204);
        InvocationRequested request = Invocations.mention(world, world.developer, serviceAccountId,
                (String) account.get("username"), true);
        String invocationId = request.invocation().invocationId();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String producerSpan = "00f067aa0ba902b7";

        try (TopicReader authorized = new TopicReader(Topics.INVOCATIONS_AUTHORIZED);
                CapturedLogs logs = CapturedLogs.of(InvocationDecisionService.class)) {
            Invocations.publish(request, Map.of("traceparent", "00-" + traceId + "-" + producerSpan + "-01"));

            Received decision = authorized.await(Received.invocation(invocationId), 1).get(0);
            Matcher traceparent = TRACEPARENT.matcher(String.valueOf(decision.headers().get("traceparent")));
            assertTrue(traceparent.matches(), "traceparent: " + decision.headers());
            assertEquals(traceId, traceparent.group(1), "the decision continues the request's trace");
            assertNotEquals(producerSpan, traceparent.group(2), "under the service's own span");

            CapturedLogs.Line line = logs.await("invocation " + invocationId + " authorized");
            assertEquals(invocationId, line.mdc().get(RunMdc.RUN_ID), "MDC: " + line.mdc());
        }
    }
}
