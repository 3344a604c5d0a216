package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.events.DiffPosition;
import io.tandem.events.ThreadRef;
import java.util.Date;
import java.util.List;
import org.gitlab4j.api.models.Author;
import org.gitlab4j.api.models.Diff;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.junit.jupiter.api.Test;

class FlowContextBuilderTest {

    private final FlowContextBuilder builder = new FlowContextBuilder(new ObjectMapper());

    @Test
    void describesAMergeRequestWithItsBranchesDiffRefsAndNotesOldestFirst() {
        MergeRequest mr = new MergeRequest();
        mr.setIid(7L);
        mr.setTitle("Add caching");
        mr.setDescription("Speeds up the build");
        mr.setState("opened");
        mr.setSourceBranch("feature/cache");
        mr.setTargetBranch("main");
        mr.setLabels(List.of("perf"));
        mr.setWebUrl("http://gitlab/g/p/-/merge_requests/7");
        DiffRef refs = new DiffRef();
        refs.setBaseSha("b1");
        refs.setHeadSha("h1");
        refs.setStartSha("s1");
        mr.setDiffRefs(refs);

        Diff diff = new Diff();
        diff.setOldPath("src/Cache.java");
        diff.setNewPath("src/Cache.java");
        diff.setDiff("@@ -1 +1 @@\n-a\n+b\n");
        DiffPosition position = new DiffPosition("b1", "s1", "h1", "src/Cache.java", "src/Cache.java", null, 1, "text");

        JsonNode context = builder.mergeRequest(new ThreadRef(42L, null, "g/p", "MergeRequest", 7, 700L,
                "http://gitlab/g/p/-/merge_requests/7", null), mr, List.of(
                        note(2, "bob", "newer", 2_000, false),
                        note(3, "gitlab", "changed the label", 1_500, true),
                        note(1, "alice", "older", 1_000, false)), List.of(diff), position);

        assertEquals("MergeRequest", context.get("type").asText());
        JsonNode node = context.get("merge_request");
        assertEquals("feature/cache", node.get("source_branch").asText());
        assertEquals("main", node.get("target_branch").asText());
        assertEquals("h1", node.get("diff_refs").get("head_sha").asText());
        assertEquals("b1", node.get("diff_refs").get("base_sha").asText());
        assertEquals("s1", node.get("diff_refs").get("start_sha").asText());
        assertEquals("Add caching", node.get("title").asText());
        assertEquals(1, node.get("changes").size());
        assertEquals("src/Cache.java", node.get("changes").get(0).get("new_path").asText());
        assertEquals("@@ -1 +1 @@\n-a\n+b\n", node.get("changes").get(0).get("diff").asText());
        assertFalse(node.get("changes").get(0).get("new_file").asBoolean());
        assertEquals(1, context.get("position").get("new_line").asInt());
        assertTrue(context.get("position").get("old_line").isNull());
        assertEquals("h1", context.get("position").get("head_sha").asText());
        assertEquals(42, context.get("project").get("id").asInt());
        assertFalse(context.has("group"));
        JsonNode notes = context.get("notes");
        assertEquals(2, notes.size());
        assertEquals("alice", notes.get(0).get("author").asText());
        assertEquals("older", notes.get(0).get("body").asText());
        assertEquals("1970-01-01T00:00:01Z", notes.get(0).get("created_at").asText());
        assertEquals("newer", notes.get(1).get("body").asText());
    }

    @Test
    void describesAGroupLevelEpicWithItsGroupAndNoProject() {
        Epic epic = new Epic();
        epic.setIid(3L);
        epic.setTitle("Q3 roadmap");
        epic.setDescription("Everything for Q3");
        epic.setLabels(List.of("roadmap"));
        epic.setWebUrl("http://gitlab/groups/acme/-/epics/3");

        JsonNode context = builder.epic(new ThreadRef(null, 12L, null, "Epic", 3, 300L,
                "http://gitlab/groups/acme/-/epics/3", "acme"), epic, List.of(note(5, "alice", "plan it", 1_000, false)));

        assertEquals("Epic", context.get("type").asText());
        assertTrue(context.get("project").isNull());
        assertEquals(12, context.get("group").get("id").asInt());
        assertEquals("acme", context.get("group").get("full_path").asText());
        assertEquals("Q3 roadmap", context.get("epic").get("title").asText());
        assertEquals("roadmap", context.get("epic").get("labels").get(0).asText());
        assertEquals("plan it", context.get("notes").get(0).get("body").asText());
    }

    private static Note note(long id, String username, String body, long epochMillis, boolean system) {
        Note note = new Note();
        note.setId(id);
        Author author = new Author();
        author.setUsername(username);
        note.setAuthor(author);
        note.setBody(body);
        note.setCreatedAt(new Date(epochMillis));
        note.setSystem(system);
        return note;
    }
}
