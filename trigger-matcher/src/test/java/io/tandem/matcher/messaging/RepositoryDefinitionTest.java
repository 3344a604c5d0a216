package io.tandem.matcher.messaging;

import static io.tandem.matcher.support.Agents.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.matcher.support.Events;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.Published;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.CommitAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A project enablement that takes its definition from .gitlab/duo/flows/ on the default branch, read at run time. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class RepositoryDefinitionTest {

    private static final String PATH = ".gitlab/duo/flows/review.yaml";

    private SimWorld world;
    private EnabledAgent agent;
    private Published published;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enableForMentions(world, "Claude Code");
        published = new Published();
    }

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void theFileOnTheDefaultBranchIsReadAndValidatedAtRunTime() throws Exception {
        as(world.maintainer).body(Map.of("triggers", List.of("mention"), "definitionPath", "../../etc/passwd"))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, agent.id())
                .then().statusCode(400).body("error", containsString(".gitlab/duo/flows/"));
        as(world.maintainer).body(Map.of("triggers", List.of("mention"), "definitionPath", PATH))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, agent.id())
                .then().statusCode(200).body("definitionPath", equalTo(PATH));

        NoteEvent missing = mention(Events.issue(world, 41));
        AuditEvent noFile = blockedAudit(missing);
        assertTrue(noFile.data().get("reason").contains(PATH + " on main does not exist"),
                noFile.data().get("reason"));

        commit("create", "image: python:3.12\ncommands: [python review.py]\nid_tokens:\n  T: {aud: x}\n");
        NoteEvent good = mention(Events.issue(world, 42));
        Invocation invocation = published.awaitRequested(r -> invocationId(good).equals(r.invocation().invocationId()))
                .invocation();
        assertEquals("python:3.12", invocation.definition().image());
        assertEquals(List.of("python review.py"), invocation.definition().commands());
        assertEquals(Map.of("T", Map.of("aud", "x")), invocation.definition().idTokens());

        commit("update", "image: python:3.12\ncommands: [python review.py]\nscript: [rm -rf /]\n");
        NoteEvent broken = mention(Events.issue(world, 43));
        AuditEvent invalid = blockedAudit(broken);
        assertTrue(invalid.data().get("reason").contains("unknown key 'script'"), invalid.data().get("reason"));
        // the thread is answered: the denial says what is wrong with which file
        InvocationDenied denied = published.awaitDenied(d -> invocationId(broken).equals(d.invocation().invocationId()));
        assertEquals(invalid.data().get("reason"), denied.reason());
        assertTrue(denied.reason().startsWith("the definition does not validate: " + PATH + " on main"),
                denied.reason());
        assertTrue(published.requested(r -> invocationId(broken).equals(r.invocation().invocationId())).isEmpty());
    }

    private void commit(String action, String content) throws Exception {
        try (GitLabApi root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN)) {
            CommitAction file = new CommitAction().withAction(CommitAction.Action.forValue(action)).withFilePath(PATH)
                    .withContent(content);
            root.getCommitsApi().createCommit(world.projectId, "main", action + " the flow", null, null, null,
                    List.of(file));
        }
    }

    private AuditEvent blockedAudit(NoteEvent note) {
        return published.awaitAudit(a -> "trigger.blocked".equals(a.type())
                && invocationId(note).equals(a.invocationId()));
    }

    private NoteEvent mention(ThreadRef thread) {
        NoteEvent note = Events.note(thread, "@" + agent.serviceAccountUsername() + " review this",
                Events.actor(world.developer));
        Events.send(note);
        return note;
    }

    private String invocationId(NoteEvent note) {
        return EventIds.derive("mention", Long.toString(note.noteId()), Long.toString(agent.id()));
    }
}
