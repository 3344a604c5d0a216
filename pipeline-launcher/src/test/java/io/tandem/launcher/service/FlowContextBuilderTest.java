package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.events.ThreadRef;
import java.util.Date;
import java.util.List;
import org.gitlab4j.api.models.Author;
import org.gitlab4j.api.models.DiffRef;
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

        JsonNode context = builder.mergeRequest(new ThreadRef(42L, null, "g/p", "MergeRequest", 7, 700L,
                "http://gitlab/g/p/-/merge_requests/7"), mr, List.of(
                        note(2, "bob", "newer", 2_000, false),
                        note(3, "gitlab", "changed the label", 1_500, true),
                        note(1, "alice", "older", 1_000, false)));

        assertEquals("MergeRequest", context.get("type").asText());
        JsonNode node = context.get("merge_request");
        assertEquals("feature/cache", node.get("source_branch").asText());
        assertEquals("main", node.get("target_branch").asText());
        assertEquals("h1", node.get("diff_refs").get("head_sha").asText());
        assertEquals("b1", node.get("diff_refs").get("base_sha").asText());
        assertEquals("s1", node.get("diff_refs").get("start_sha").asText());
        assertEquals("Add caching", node.get("title").asText());
        JsonNode notes = context.get("notes");
        assertEquals(2, notes.size());
        assertEquals("alice", notes.get(0).get("author").asText());
        assertEquals("older", notes.get(0).get("body").asText());
        assertEquals("1970-01-01T00:00:01Z", notes.get(0).get("created_at").asText());
        assertEquals("newer", notes.get(1).get("body").asText());
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
