package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tandem.events.DiffPosition;
import io.tandem.events.ThreadRef;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.gitlab4j.api.models.Author;
import org.gitlab4j.api.models.Diff;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.junit.jupiter.api.Test;

/** What the builder and the trimmer produce is what docs/schema/flow-context.schema.json publishes. */
class FlowContextSchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schema", "flow-context.schema.json");

    private final ObjectMapper mapper = new ObjectMapper();
    private final FlowContextBuilder builder = new FlowContextBuilder(mapper);

    @Test
    void everyKindOfContextMatchesThePublishedSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        Issue issue = new Issue();
        issue.setIid(5L);
        issue.setTitle("Bug");
        issue.setDescription("d");
        MergeRequest mr = new MergeRequest();
        mr.setIid(7L);
        mr.setTitle("MR");
        mr.setDescription("x".repeat(50_000));
        mr.setDiffRefs(new DiffRef());
        List<Diff> diffs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Diff diff = new Diff();
            diff.setNewPath("f" + i);
            diff.setOldPath("f" + i);
            diff.setDiff("+x\n".repeat(10_000));
            diffs.add(diff);
        }
        Epic epic = new Epic();
        epic.setIid(3L);
        epic.setTitle("Epic");
        ThreadRef inProject = new ThreadRef(42L, null, "g/p", "Issue", 5, 500L, "http://x", null);
        ThreadRef inGroup = new ThreadRef(null, 12L, null, "Epic", 3, 300L, "http://x", "acme");
        DiffPosition position = new DiffPosition("b", "s", "h", "f1", "f1", null, 3, "text");

        FlowContextTrimmer tight = new FlowContextTrimmer(mapper, 4_000);
        List<String> contexts = List.of(
                mapper.writeValueAsString(builder.issue(inProject, issue, List.of(note()))),
                mapper.writeValueAsString(builder.mergeRequest(inProject, mr, List.of(note()), diffs, position)),
                tight.trim(builder.mergeRequest(inProject, mr, List.of(note(), note()), diffs, position)),
                mapper.writeValueAsString(builder.epic(inGroup, epic, List.of(note()))),
                mapper.writeValueAsString(builder.other(inGroup)));

        for (String json : contexts) {
            JsonNode node = mapper.readTree(json);
            Set<ValidationMessage> errors = schema.validate(node);
            assertEquals(Set.of(), errors, json.length() > 500 ? json.substring(0, 500) : json);
        }
        assertTrue(mapper.readTree(contexts.get(2)).has("trimmed"), "the trimmed case is covered");
        // and the schema does say no
        JsonNode broken = mapper.readTree(contexts.get(0));
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).put("notes", "not a list");
        assertTrue(!schema.validate(broken).isEmpty());
    }

    private static Note note() {
        Note note = new Note();
        note.setId(1L);
        Author author = new Author();
        author.setUsername("alice");
        note.setAuthor(author);
        note.setBody("hi");
        note.setCreatedAt(new Date(0));
        return note;
    }
}
