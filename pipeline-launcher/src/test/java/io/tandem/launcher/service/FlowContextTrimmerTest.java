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

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
