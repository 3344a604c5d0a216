package io.tandem.ingest.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.DiffPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real GitLab payloads in {@code src/test/resources/gitlab-payloads}. */
public final class Payloads {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The position of {@link #diffNoteOnMergeRequest()}. */
    public static final DiffPosition DIFF_POSITION = new DiffPosition("b5d6e7b1613fca24d250fa8e5bc7bcc3dd6002ef",
            "7c9c2ead8a320fb7ba0b4e234bd9529a2614e306", "4803c71e6b1833ca72b8b26ef2ecd5adc8a38031", "package.json",
            "package.json", 27, 27, "text");

    public static byte[] bytes(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/gitlab-payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload as a tree, to derive variants of it. */
    public static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code note-merge-request-event.json} as a comment on a line of the diff: GitLab sends such a note with
     * {@code type} DiffNote and its {@code position} (shaped as GitLab documents a diff note's position, with the
     * {@code line_range} of a single-line comment), and the position it was first made at.
     */
    public static ObjectNode diffNoteOnMergeRequest() {
        ObjectNode payload = tree("note-merge-request-event.json");
        ObjectNode note = (ObjectNode) payload.path("object_attributes");
        note.put("type", "DiffNote").put("line_code", "588440f66559714280628a4f9799f0c4eb880a4a_27_27");
        ObjectNode position = note.putObject("position")
                .put("base_sha", "b5d6e7b1613fca24d250fa8e5bc7bcc3dd6002ef")
                .put("start_sha", "7c9c2ead8a320fb7ba0b4e234bd9529a2614e306")
                .put("head_sha", "4803c71e6b1833ca72b8b26ef2ecd5adc8a38031")
                .put("old_path", "package.json")
                .put("new_path", "package.json")
                .put("position_type", "text")
                .put("old_line", 27)
                .put("new_line", 27);
        ObjectNode lineRange = position.putObject("line_range");
        for (String end : new String[] {"start", "end"}) {
            lineRange.putObject(end).put("line_code", "588440f66559714280628a4f9799f0c4eb880a4a_27_27")
                    .put("type", (String) null).put("old_line", 27).put("new_line", 27);
        }
        note.set("original_position", position.deepCopy());
        return payload;
    }

    public static byte[] bytes(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Payloads() {
    }
}
