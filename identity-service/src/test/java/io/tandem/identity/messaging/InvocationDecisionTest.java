package io.tandem.identity.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.support.Database;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.Metrics;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvocationDecisionTest {

    private static final String DECIDED = "tandem_invocations_decided_total";

    private GitlabWorld world;
    private long serviceAccountId;
    private String serviceAccountUsername;
    private TopicReader authorized;
    private TopicReader denied;
    private TopicReader audit;

    /** Once per class, but in the first test's setup: RestAssured knows the app's port only then. */
    @BeforeEach
    void enableTheAgentInTheProject() {
        if (audit != null) {
            return;
        }
        world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Claude");
        serviceAccountId = ((Number) account.get("id")).longValue();
        serviceAccountUsername = (String) account.get("username");
        InternalApi.internal().put("/internal/v1/service-accounts/" + serviceAccountId + "/projects/"
                + world.project.getId()).then().statusCode(204);
        authorized = new TopicReader(Topics.INVOCATIONS_AUTHORIZED);
        denied = new TopicReader(Topics.INVOCATIONS_DENIED);
        audit = new TopicReader(Topics.AUDIT);
    }

    @AfterAll
    void close() {
        if (audit != null) {
            authorized.close();
            denied.close();
            audit.close();
        }
    }

    @Test
    void aDeveloperIsAuthorizedWithBothRolesRead() {
        InvocationRequested request = Invocations.mention(world, world.developer, serviceAccountId,
                serviceAccountUsername, true);
        double authorizedBefore = Metrics.value(DECIDED, "outcome", "authorized");
        Invocations.publish(request);
        String invocationId = request.invocation().invocationId();

        Received record = authorized.await(Received.invocation(invocationId), 1).get(0);
        JsonNode value = record.value();
        assertEquals(request.key(), record.key());
        assertEquals(authorizedBefore + 1, Metrics.value(DECIDED, "outcome", "authorized"));
        assertEquals(EventIds.derive("decision", invocationId), value.get("eventId").asText());
        assertEquals(30, value.get("requesterAccessLevel").asInt());
        assertEquals(30, value.get("serviceAccountAccessLevel").asInt());
        assertEquals(30, value.get("effectiveAccessLevel").asInt());
        assertEquals(world.developer.getUsername(), value.at("/invocation/requester/username").asText());

        JsonNode auditEvent = audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "invocation.authorized".equals(r.value().path("type").asText()), 1).get(0).value();
        assertEquals("identity-service", auditEvent.get("source").asText());
        assertEquals(invocationId, audit.drain(Received.invocation(invocationId)).get(0).key());
        assertEquals("Developer", auditEvent.at("/data/requesterRole").asText());
        assertEquals("30", auditEvent.at("/data/serviceAccountAccessLevel").asText());
    }

    @Test
    void aGuestIsDeniedWithAReasonNamingTheRoles() {
        InvocationRequested request = Invocations.mention(world, world.guest, serviceAccountId,
                serviceAccountUsername, true);
        double deniedBefore = Metrics.value(DECIDED, "outcome", "denied");
        Invocations.publish(request);
        String invocationId = request.invocation().invocationId();

        JsonNode value = denied.await(Received.invocation(invocationId), 1).get(0).value();
        assertEquals(deniedBefore + 1, Metrics.value(DECIDED, "outcome", "denied"));
        assertEquals(10, value.get("requesterAccessLevel").asInt());
        assertEquals(30, value.get("serviceAccountAccessLevel").asInt());
        String reason = value.get("reason").asText();
        assertTrue(reason.contains("@" + world.guest.getUsername() + " has the Guest role in "
                + world.project.getPathWithNamespace()), reason);
        assertTrue(reason.contains("needs at least Developer"), reason);

        JsonNode auditEvent = audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "invocation.denied".equals(r.value().path("type").asText()), 1).get(0).value();
        assertEquals("Guest", auditEvent.at("/data/requesterRole").asText());
        assertEquals("Developer", auditEvent.at("/data/serviceAccountRole").asText());
        assertTrue(authorized.drain(Received.invocation(invocationId)).isEmpty());
    }

    @Test
    void anEpicInvocationIsJudgedByTheRolesInItsRunProjectNotTheEpicsGroup() {
        // The Developer is a member of the run project only: in the epic's group he has no role at all.
        InvocationRequested request = Invocations.epicMention(world, world.developer, serviceAccountId,
                serviceAccountUsername);
        Invocations.publish(request);
        String invocationId = request.invocation().invocationId();

        Received record = authorized.await(Received.invocation(invocationId), 1).get(0);
        JsonNode value = record.value();
        assertEquals(request.key(), record.key());
        assertEquals("group:" + world.group.getId() + "/Epic/3", record.key());
        assertEquals(30, value.get("requesterAccessLevel").asInt());
        assertEquals(30, value.get("serviceAccountAccessLevel").asInt());
        assertTrue(value.at("/invocation/thread/projectId").isNull(), "the thread stays the epic's");
        assertEquals(world.project.getId().longValue(), value.at("/invocation/runProjectId").asLong());

        JsonNode auditEvent = audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "invocation.authorized".equals(r.value().path("type").asText()), 1).get(0).value();
        assertEquals(world.project.getId().longValue(), auditEvent.path("projectId").asLong());
    }

    @Test
    void anEpicInvocationOfAGuestInTheRunProjectIsDeniedNamingThatProject() {
        InvocationRequested request = Invocations.epicMention(world, world.guest, serviceAccountId,
                serviceAccountUsername);
        Invocations.publish(request);
        String invocationId = request.invocation().invocationId();

        JsonNode value = denied.await(Received.invocation(invocationId), 1).get(0).value();
        assertEquals(EventIds.derive("decision", invocationId), value.get("eventId").asText());
        assertEquals(10, value.get("requesterAccessLevel").asInt());
        String reason = value.get("reason").asText();
        assertTrue(reason.contains("@" + world.guest.getUsername() + " has the Guest role in "
                + world.project.getPathWithNamespace()), reason);
        assertTrue(authorized.drain(Received.invocation(invocationId)).isEmpty());
    }

    @Test
    void aRequesterWithoutIdIsLookedUpByUsername() {
        InvocationRequested request = Invocations.mention(world, world.owner, serviceAccountId,
                serviceAccountUsername, false);
        Invocations.publish(request);
        JsonNode value = authorized.await(Received.invocation(request.invocation().invocationId()), 1).get(0).value();
        // The Owner of the group, inherited into the project; the service account keeps it at Developer.
        assertEquals(50, value.get("requesterAccessLevel").asInt());
        assertEquals(30, value.get("effectiveAccessLevel").asInt());
    }

    @Test
    void aRepeatRepublishesTheStoredDecisionEvenAfterTheRoleChanged() throws Exception {
        User promoted = world.newUser("promoted");
        world.root.getProjectApi().addMember(world.project.getId(), promoted.getId(), AccessLevel.GUEST);
        InvocationRequested request = Invocations.mention(world, promoted, serviceAccountId, serviceAccountUsername,
                true);
        String invocationId = request.invocation().invocationId();
        Invocations.publish(request);
        denied.await(Received.invocation(invocationId), 1);

        world.root.getProjectApi().updateMember(world.project.getId(), promoted.getId(), AccessLevel.DEVELOPER);
        Invocations.publish(request);

        List<Received> both = denied.await(Received.invocation(invocationId), 2);
        assertEquals(both.get(0).value(), both.get(1).value());
        assertTrue(authorized.drain(Received.invocation(invocationId)).isEmpty());
    }

    @Test
    void theSameRequestTwiceIsDecidedOnce() throws Exception {
        InvocationRequested request = Invocations.mention(world, world.developer, serviceAccountId,
                serviceAccountUsername, true);
        String invocationId = request.invocation().invocationId();
        Invocations.publish(request);
        authorized.await(Received.invocation(invocationId), 1);
        Invocations.publish(request);

        List<Received> both = authorized.await(Received.invocation(invocationId), 2);
        assertEquals(2, both.size());
        assertEquals(both.get(0).value().get("eventId").asText(), both.get(1).value().get("eventId").asText());
        assertEquals(both.get(0).value().get("occurredAt").asText(), both.get(1).value().get("occurredAt").asText());
        try (Connection db = Database.connect();
                PreparedStatement count = db.prepareStatement(
                        "select count(*) from invocation_decision where invocation_id = ?")) {
            count.setString(1, invocationId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
    }
}
