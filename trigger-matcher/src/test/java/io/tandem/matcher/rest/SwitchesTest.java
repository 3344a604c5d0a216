package io.tandem.matcher.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.matcher.support.Agents.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.InvocationDenied;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.matcher.support.Events;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.KafkaRecords;
import io.tandem.matcher.support.Published;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The instance and group "allow external agents" switches, turning an agent off, and the definition schema. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class SwitchesTest {

    private static final SimWorld.Person ROOT = new SimWorld.Person(1, "root", GitlabSimulator.ROOT_TOKEN);

    private SimWorld world;
    private EnabledAgent agent;
    private ThreadRef thread;
    private Published published;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enableForMentions(world, "Claude Code");
        published = new Published();
    }

    @AfterEach
    void restore() {
        // the instance setting is shared by every test class: leave it as it was found
        as(ROOT).body(Map.of("allowed", true, "locked", false)).put("/api/v1/settings/external-agents")
                .then().statusCode(200);
        published.close();
    }

    @Test
    void aGroupSwitchedOffStartsNothingAndSaysWhyInTheAudit() {
        as(world.maintainer).body(Map.of("allowed", false)).put("/api/v1/groups/{g}/settings/external-agents",
                world.groupId).then().statusCode(403);
        as(world.owner).body(Map.of("allowed", false)).put("/api/v1/groups/{g}/settings/external-agents",
                world.groupId).then().statusCode(200).body("allowed", equalTo(false));
        published.awaitAudit(a -> "settings.external-agents.changed".equals(a.type())
                && world.owner.username().equals(a.actor()) && "false".equals(a.data().get("allowed")));

        thread = Events.issue(world, 31);
        NoteEvent blocked = mention(" hello");
        AuditEvent audit = published.awaitAudit(a -> "trigger.blocked".equals(a.type())
                && invocationId(blocked).equals(a.invocationId()));
        assertTrue(audit.data().get("reason").contains("group " + world.groupId), audit.data().get("reason"));
        InvocationDenied denied = published.awaitDenied(d -> invocationId(blocked).equals(d.invocation().invocationId()));
        assertEquals("external agents are turned off in group " + world.groupId, denied.reason());
        assertEquals(0, denied.requesterAccessLevel());
        assertEquals(0, denied.serviceAccountAccessLevel());

        as(world.owner).body(Map.of("allowed", true)).put("/api/v1/groups/{g}/settings/external-agents",
                world.groupId).then().statusCode(200);
        NoteEvent allowed = mention(" hello again");
        published.awaitRequested(r -> invocationId(allowed).equals(r.invocation().invocationId()));
        assertTrue(published.requested(r -> invocationId(blocked).equals(r.invocation().invocationId())).isEmpty());
    }

    @Test
    void aLockedInstanceSettingWinsOverTheGroup() {
        as(world.owner).body(Map.of("allowed", false, "locked", true)).put("/api/v1/settings/external-agents")
                .then().statusCode(403);
        as(ROOT).body(Map.of("allowed", false, "locked", true)).put("/api/v1/settings/external-agents")
                .then().statusCode(200).body("allowed", equalTo(false)).body("locked", equalTo(true));
        as(world.owner).body(Map.of("allowed", true)).put("/api/v1/groups/{g}/settings/external-agents",
                world.groupId).then().statusCode(409).body("error", containsString("locked"));

        thread = Events.issue(world, 32);
        NoteEvent blocked = mention(" hello");
        AuditEvent audit = published.awaitAudit(a -> "trigger.blocked".equals(a.type())
                && invocationId(blocked).equals(a.invocationId()));
        assertTrue(audit.data().get("reason").contains("instance"), audit.data().get("reason"));
    }

    @Test
    void anAgentTurnedOffStartsNothing() {
        as(world.developer).body(Map.of("disabled", true)).put("/api/v1/agents/{a}/disabled", agent.id())
                .then().statusCode(403);
        as(world.maintainer).body(Map.of("disabled", true)).put("/api/v1/agents/{a}/disabled", agent.id())
                .then().statusCode(200).body("disabled", equalTo(true));
        thread = Events.issue(world, 33);
        NoteEvent blocked = mention(" hello");
        AuditEvent audit = published.awaitAudit(a -> "trigger.blocked".equals(a.type())
                && invocationId(blocked).equals(a.invocationId()));
        assertTrue(audit.data().get("reason").contains("turned off"), audit.data().get("reason"));

        as(world.maintainer).body(Map.of("disabled", false)).put("/api/v1/agents/{a}/disabled", agent.id())
                .then().statusCode(200).body("disabled", equalTo(false));
        NoteEvent allowed = mention(" hello again");
        published.awaitRequested(r -> invocationId(allowed).equals(r.invocation().invocationId()));
        assertTrue(published.requested(r -> invocationId(blocked).equals(r.invocation().invocationId())).isEmpty());
    }

    @Test
    void theDefinitionSchemaIsPublishedAndMatchesTheValidator() throws Exception {
        String body = given().get("/api/v1/schema/agent-definition").then().statusCode(200)
                .extract().asString();
        JsonNode schema = KafkaRecords.JSON.readTree(body);
        assertEquals(List.of("image", "commands"),
                KafkaRecords.JSON.convertValue(schema.get("required"), List.class));
        Set<String> properties = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(Set.of("image", "commands", "variables", "injectGatewayToken", "timeout", "id_tokens",
                "resultFile", "allowCiChanges"), properties);
        assertEquals(false, schema.get("additionalProperties").asBoolean());
    }

    private NoteEvent mention(String text) {
        NoteEvent note = Events.note(thread, "@" + agent.serviceAccountUsername() + text,
                Events.actor(world.developer));
        Events.send(note);
        return note;
    }

    private String invocationId(NoteEvent note) {
        return EventIds.derive("mention", Long.toString(note.noteId()), Long.toString(agent.id()));
    }
}
