package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.optionalLong;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.DiffPosition;

/**
 * Where on a merge request's diff a comment was made: GitLab's {@code object_attributes.position} of a diff note
 * (and of each reply in its discussion), so that the answer can go to the same line.
 */
final class DiffPositions {

    /**
     * @return null for comments that are not on the diff (no {@code position} object), and for positions that
     *         name no file: an answer cannot be anchored to them
     */
    static DiffPosition of(JsonNode note) {
        JsonNode position = note.path("position");
        if (!position.isObject()) {
            return null;
        }
        String oldPath = text(position, "old_path");
        String newPath = text(position, "new_path");
        if (oldPath == null && newPath == null) {
            return null;
        }
        // An added line has no old line and a removed one no new line; image and file positions have neither.
        return new DiffPosition(text(position, "base_sha"), text(position, "start_sha"), text(position, "head_sha"),
                oldPath, newPath, line(position, "old_line"), line(position, "new_line"),
                text(position, "position_type"));
    }

    private static Integer line(JsonNode position, String field) {
        Long line = optionalLong(position, field);
        return line != null && line > 0 && line <= Integer.MAX_VALUE ? line.intValue() : null;
    }

    private DiffPositions() {
    }
}
