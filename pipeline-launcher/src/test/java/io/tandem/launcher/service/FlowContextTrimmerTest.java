package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FlowContextTrimmerTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void leavesASmallContextAlone() throws Exception {
        ObjectNode context = context("short description", 3, 10);
        String json = new FlowContextTrimmer(mapper, 64 * 1024).trim(context);

        assertEquals(context, mapper.readTree(json));
        assertFalse(mapper.readTree(json).has("trimmed"));
    }

    @Test
    void dropsTheOldestNotesFirstAndSaysSo() throws Exception {
        ObjectNode context = context("description", 50, 200);
        int max = 4_000;

        String json = new FlowContextTrimmer(mapper, max).trim(context);
        JsonNode result = mapper.readTree(json);

        assertTrue(bytes(json) <= max, "size " + bytes(json));
        ArrayNode notes = (ArrayNode) result.get("notes");
        int dropped = result.get("trimmed").get("dropped_oldest_notes").asInt();
        assertTrue(dropped > 0 && notes.size() > 0, result.get("trimmed").toString());
        assertEquals(50, dropped + notes.size());
        assertEquals(50, result.get("trimmed").get("notes_total").asInt());
        // the newest note survives, the oldest went first
        assertEquals("note 49", notes.get(notes.size() - 1).get("body").asText().substring(0, 7));
        assertTrue(notes.get(0).get("body").asText().startsWith("note " + dropped + " "), notes.get(0).toString());
        assertFalse(result.get("trimmed").has("description_truncated"));
        assertEquals(context.get("issue"), result.get("issue"));
    }

    @Test
    void shortensTheDescriptionWhenNotesAreNotEnough() throws Exception {
        String description = "é\"\\ ".repeat(5_000); // multi-byte and escaped characters
        ObjectNode context = context(description, 5, 100);
        int max = 2_000;

        String json = new FlowContextTrimmer(mapper, max).trim(context);
        JsonNode result = mapper.readTree(json);

        assertTrue(bytes(json) <= max, "size " + bytes(json));
        assertEquals(0, result.get("notes").size());
        assertEquals(5, result.get("trimmed").get("dropped_oldest_notes").asInt());
        assertTrue(result.get("trimmed").get("description_truncated").asBoolean());
        String kept = result.get("issue").get("description").asText();
        assertTrue(kept.endsWith(FlowContextTrimmer.ELLIPSIS), kept);
        assertTrue(description.startsWith(kept.substring(0, kept.length() - FlowContextTrimmer.ELLIPSIS.length())));
        assertTrue(kept.length() > 200, "kept too little: " + kept.length());
    }

    @Test
    void trimsTheLargestDiffsBeforeOldNotesAndKeepsTheCommentedFileLongest() throws Exception {
        ObjectNode context = context("description", 20, 300);
        ObjectNode mr = context.putObject("merge_request");
        mr.put("description", "d");
        ArrayNode changes = mr.putArray("changes");
        for (int i = 0; i < 30; i++) {
            ObjectNode change = changes.addObject();
            change.put("new_path", "file" + i);
            change.put("diff", "+line\n".repeat(100 + i * 200)); // the higher, the larger
        }
        context.remove("issue");
        context.putObject("position").put("new_path", "file3");
        int max = 20_000;

        String json = new FlowContextTrimmer(mapper, max).trim(context);
        JsonNode result = mapper.readTree(json);

        assertTrue(bytes(json) <= max, "size " + bytes(json));
        JsonNode trimmed = result.get("trimmed");
        assertEquals(30, trimmed.get("diffs_total").asInt());
        assertEquals(0, trimmed.get("dropped_changes").asInt());
        JsonNode kept = result.get("merge_request").get("changes");
        assertEquals(30, kept.size(), "paths of trimmed diffs stay");
        // the largest diffs lost their text down to half the budget; the commented file (larger than file2) stays
        assertEquals(27, trimmed.get("trimmed_diffs").asInt(), trimmed.toString());
        assertEquals(27, countTrimmed(kept));
        assertTrue(kept.get(29).get("diff_trimmed").asBoolean());
        assertFalse(kept.get(29).has("diff"));
        assertTrue(kept.get(2).get("diff_trimmed").asBoolean());
        assertTrue(kept.get(3).has("diff"), kept.get(3).toString().substring(0, 60));
        assertTrue(kept.get(1).has("diff"));
        assertTrue(kept.get(0).has("diff"));
        // the diffs were trimmed down to half the budget before any note went
        assertEquals(0, trimmed.get("dropped_oldest_notes").asInt());
        assertEquals(20, result.get("notes").size());
    }

    @Test
    void aDiffFarOverTheBudgetEndsWithPathsOnly() throws Exception {
        ObjectNode context = context("description", 3, 100);
        ArrayNode changes = context.putObject("merge_request").putArray("changes");
        for (int i = 0; i < 3; i++) {
            changes.addObject().put("new_path", "big" + i).put("diff", "x".repeat(2_000_000));
        }
        int max = 3_000;

        String json = new FlowContextTrimmer(mapper, max).trim(context);
        JsonNode result = mapper.readTree(json);

        assertTrue(bytes(json) <= max, "size " + bytes(json));
        assertEquals(3, result.get("trimmed").get("trimmed_diffs").asInt());
        assertEquals(3, countTrimmed(result.get("merge_request").get("changes")));
        assertEquals(3, result.get("notes").size(), "notes fit once the diffs are gone");
    }

    @Test
    void cutsOnCharacterBoundaries() {
        assertEquals("a", FlowContextTrimmer.prefixOfBytes("a€b", 3));
        assertEquals("a€", FlowContextTrimmer.prefixOfBytes("a€b", 4));
        assertEquals("", FlowContextTrimmer.prefixOfBytes("😀", 3));
    }

    private ObjectNode context(String description, int notes, int noteLength) {
        ObjectNode context = mapper.createObjectNode();
        context.put("type", "Issue");
        ObjectNode issue = context.putObject("issue");
        issue.put("title", "Fix the build");
        issue.put("description", description);
        ArrayNode array = context.putArray("notes");
        for (int i = 0; i < notes; i++) {
            ObjectNode note = array.addObject();
            note.put("author", "alice");
            note.put("body", ("note " + i + " ").repeat(noteLength / 7 + 1));
            note.put("created_at", "2025-01-01T00:00:" + String.format("%02d", i % 60) + "Z");
        }
        return context;
    }

    private static int countTrimmed(JsonNode changes) {
        int n = 0;
        for (JsonNode c : changes) {
            n += c.path("diff_trimmed").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
