package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;

/** Group epics, their notes (addressed by epic id, as in GitLab) and the Note Hook to group hooks. */
@QuarkusTest
class EpicTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void epicCommentFiresANoteHookToTheGroupAndItsAncestors() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("epics");
        Group parent = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Group child = root.getGroupApi().createGroup(new GroupParams().withName("team").withPath("team")
                .withParentId(parent.getId()));
        // an epic elsewhere first, so that the epic below has an id different from its iid
        root.getEpicsApi().createEpic(parent.getId(), "other", null, null, null, null);
        User guest = SeedingTest.createUser(root, SimClient.unique("guest"));
        root.getGroupApi().addMember(child.getId(), guest.getId(), AccessLevel.GUEST);
        String guestToken = SeedingTest.token(root, guest);

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertEquals(201, sim.send("POST", "/api/v4/groups/" + parent.getId() + "/hooks", SimClient.ROOT_TOKEN,
                    "{\"url\":\"" + receiver.url() + "\",\"note_events\":true}").status());

            Epic epic = root.getEpicsApi().createEpic(child.getId(), "Roadmap", null, "the plan", null, null);
            assertEquals(1L, epic.getIid().longValue());
            assertNotEquals(epic.getIid(), epic.getId());
            assertEquals("Roadmap", root.getEpicsApi().getEpic(child.getId(), 1L).getTitle());
            assertEquals(1, root.getEpicsApi().getEpics(child.getId()).size());
            GitLabApiException forbidden = assertThrows(GitLabApiException.class,
                    () -> sim.as(guestToken).getEpicsApi().createEpic(child.getId(), "nope", null, null, null, null));
            assertEquals(403, forbidden.getHttpStatus());

            Note note = sim.as(guestToken).getNotesApi().createEpicNote(child.getId(), epic.getId(), "@ai-claude plan it");
            assertEquals("@ai-claude plan it", note.getBody());
            List<Note> notes = root.getNotesApi().getEpicNotes(child.getId(), epic.getId());
            assertEquals(1, notes.size());
            assertEquals(404, sim.send("GET", "/api/v4/groups/" + child.getId() + "/epics/999/notes",
                    SimClient.ROOT_TOKEN, null).status());

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Note Hook").size() == 1);
            JsonNode hook = receiver.events("Note Hook").get(0).json();
            assertEquals("note", hook.get("object_kind").asText());
            assertFalse(hook.has("project"));
            assertEquals(child.getId().longValue(), hook.get("group_id").asLong());
            assertEquals(child.getFullPath(), hook.get("group").get("full_path").asText());
            JsonNode attributes = hook.get("object_attributes");
            assertEquals("Epic", attributes.get("noteable_type").asText());
            assertEquals(epic.getId().longValue(), attributes.get("noteable_id").asLong());
            assertEquals("@ai-claude plan it", attributes.get("note").asText());
            assertEquals(guest.getId().longValue(), hook.get("user").get("id").asLong());
            JsonNode epicJson = hook.get("epic");
            assertEquals(epic.getId().longValue(), epicJson.get("id").asLong());
            assertEquals(1, epicJson.get("iid").asLong());
            assertEquals(child.getId().longValue(), epicJson.get("group_id").asLong());
            assertEquals("Roadmap", epicJson.get("title").asText());
            assertEquals("the plan", epicJson.get("description").asText());
            assertTrue(epicJson.get("web_url").asText().endsWith("/groups/" + child.getFullPath() + "/-/epics/1"));
        }
    }

    /** Result-publisher edits its progress note on an epic: GET/PUT/DELETE by note id, PUT fires action update. */
    @Test
    void epicCommentCanBeReadEditedAndDeletedAndAnEditFiresAnUpdateNoteHook() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("epicnotes");
        Group top = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Group child = root.getGroupApi().createGroup(new GroupParams().withName("team").withPath("team")
                .withParentId(top.getId()));
        root.getEpicsApi().createEpic(top.getId(), "other", null, null, null, null);
        User writer = SeedingTest.createUser(root, SimClient.unique("writer"));
        User other = SeedingTest.createUser(root, SimClient.unique("other"));
        root.getGroupApi().addMember(child.getId(), writer.getId(), AccessLevel.GUEST);
        root.getGroupApi().addMember(child.getId(), other.getId(), AccessLevel.DEVELOPER);
        GitLabApi asWriter = sim.as(SeedingTest.token(root, writer));
        String otherToken = SeedingTest.token(root, other);
        GitLabApi asOther = sim.as(otherToken);

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertEquals(201, sim.send("POST", "/api/v4/groups/" + top.getId() + "/hooks", SimClient.ROOT_TOKEN,
                    "{\"url\":\"" + receiver.url() + "\",\"note_events\":true}").status());
            Epic epic = root.getEpicsApi().createEpic(child.getId(), "Roadmap", null, "the plan", null, null);
            Note note = asWriter.getNotesApi().createEpicNote(child.getId(), epic.getId(), "working on it");
            Note sibling = asWriter.getNotesApi().createEpicNote(child.getId(), epic.getId(), "second");

            Note read = asOther.getNotesApi().getEpicNote(child.getId(), epic.getId(), note.getId());
            assertEquals("working on it", read.getBody());
            assertEquals(404, sim.send("GET", "/api/v4/groups/" + child.getId() + "/epics/" + epic.getId()
                    + "/notes/999999", SimClient.ROOT_TOKEN, null).status());
            GitLabApiException notAuthor = assertThrows(GitLabApiException.class, () -> asOther.getNotesApi()
                    .updateEpicNote(child.getId(), epic.getId(), note.getId(), "hijacked"));
            assertEquals(403, notAuthor.getHttpStatus());

            Note edited = asWriter.getNotesApi().updateEpicNote(child.getId(), epic.getId(), note.getId(), "done");
            assertEquals("done", edited.getBody());
            assertEquals(note.getId(), edited.getId());
            assertEquals("done", root.getNotesApi().getEpicNote(child.getId(), epic.getId(), note.getId()).getBody());
            SimClient.Reply empty = sim.send("PUT", "/api/v4/groups/" + child.getId() + "/epics/" + epic.getId()
                    + "/notes/" + note.getId(), SimClient.ROOT_TOKEN, "{}");
            assertEquals(400, empty.status());

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Note Hook").size() == 3);
            JsonNode update = receiver.events("Note Hook").get(2).json();
            JsonNode attributes = update.get("object_attributes");
            assertEquals("update", attributes.get("action").asText());
            assertEquals(note.getId().longValue(), attributes.get("id").asLong());
            assertEquals("done", attributes.get("note").asText());
            assertEquals("Epic", attributes.get("noteable_type").asText());
            JsonNode created = receiver.events("Note Hook").get(0).json().get("object_attributes");
            assertEquals(created.get("discussion_id").asText(), attributes.get("discussion_id").asText());
            assertEquals(writer.getId().longValue(), update.get("user").get("id").asLong());
            assertEquals(child.getId().longValue(), update.get("group_id").asLong());
            assertEquals(epic.getId().longValue(), update.get("epic").get("id").asLong());
            assertEquals("create", created.get("action").asText());
            assertEquals(note.getId().longValue(), created.get("id").asLong());

            // the author deletes their note; a Developer may not delete someone else's, a Maintainer may
            asWriter.getNotesApi().deleteEpicNote(child.getId(), epic.getId(), note.getId());
            assertEquals(404, sim.send("GET", "/api/v4/groups/" + child.getId() + "/epics/" + epic.getId()
                    + "/notes/" + note.getId(), SimClient.ROOT_TOKEN, null).status());
            assertEquals(403, sim.send("DELETE", "/api/v4/groups/" + child.getId() + "/epics/" + epic.getId()
                    + "/notes/" + sibling.getId(), otherToken, null).status());
            root.getGroupApi().updateMember(child.getId(), other.getId(), AccessLevel.MAINTAINER);
            asOther.getNotesApi().deleteEpicNote(child.getId(), epic.getId(), sibling.getId());
            assertEquals(List.of(), root.getNotesApi().getEpicNotes(child.getId(), epic.getId()));
            // a note of one epic is not reachable through another
            Epic second = root.getEpicsApi().createEpic(child.getId(), "Second", null, null, null, null);
            Note elsewhere = root.getNotesApi().createEpicNote(child.getId(), second.getId(), "x");
            assertEquals(404, sim.send("PUT", "/api/v4/groups/" + child.getId() + "/epics/" + epic.getId()
                    + "/notes/" + elsewhere.getId(), SimClient.ROOT_TOKEN, "{\"body\":\"y\"}").status());
        }
    }
}
