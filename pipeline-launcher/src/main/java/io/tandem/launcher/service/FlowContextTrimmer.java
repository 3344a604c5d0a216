package io.tandem.launcher.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.launcher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps {@code AI_FLOW_CONTEXT} under {@code tandem.launcher.context-max-bytes}, in this order:
 * <ol>
 * <li>the largest file diffs lose their text while all diffs together take more than half the budget (the
 * agent works in a checkout of the source branch and can run {@code git diff} itself; the file the comment
 * is on goes last);</li>
 * <li>the oldest notes are dropped (the newest ones, next to the request, matter most);</li>
 * <li>the remaining diffs lose their text, largest first;</li>
 * <li>the description is shortened;</li>
 * <li>the last change entries (paths only by then) are dropped.</li>
 * </ol>
 * A {@code trimmed} object says what was left out, and each diff that lost its text has
 * {@code diff_trimmed: true}, so the agent knows its view is partial.
 */
@ApplicationScoped
public class FlowContextTrimmer {

    static final String ELLIPSIS = "\n[... trimmed by Tandem]";

    private final ObjectMapper mapper;
    private final int maxBytes;

    @Inject
    public FlowContextTrimmer(ObjectMapper mapper, TandemConfig config) {
        this(mapper, config.launcher().contextMaxBytes());
    }

    FlowContextTrimmer(ObjectMapper mapper, int maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    /** The context as JSON text of at most {@code maxBytes} UTF-8 bytes (the input node is not changed). */
    public String trim(ObjectNode original) {
        ObjectNode context = original.deepCopy();
        String json = write(context);
        if (size(json) <= maxBytes) {
            return json;
        }
        ObjectNode trimmed = context.putObject("trimmed");
        trimmed.put("max_bytes", maxBytes);
        ArrayNode notes = context.has("notes") ? (ArrayNode) context.get("notes") : context.putArray("notes");
        ArrayNode changes = changes(context);
        trimmed.put("notes_total", notes.size());
        trimmed.put("dropped_oldest_notes", 0);
        trimmed.put("diffs_total", changes.size());
        trimmed.put("trimmed_diffs", 0);
        trimmed.put("dropped_changes", 0);
        Sizer sizer = new Sizer(context);

        String commentedPath = context.path("position").path("new_path").asText(null);
        List<ObjectNode> largestFirst = largestDiffsFirst(changes, commentedPath);
        int diffBytes = largestFirst.stream().mapToInt(c -> size(write(c.get("diff")))).sum();
        int next = 0;
        while (diffBytes > maxBytes / 2 && next < largestFirst.size() && sizer.over()) {
            diffBytes -= size(write(largestFirst.get(next).get("diff")));
            dropDiff(largestFirst.get(next++), trimmed, sizer);
        }
        while (!notes.isEmpty() && sizer.over()) {
            sizer.remove(notes.get(0));
            notes.remove(0);
            trimmed.put("dropped_oldest_notes", trimmed.get("dropped_oldest_notes").asInt() + 1);
        }
        while (next < largestFirst.size() && sizer.over()) {
            dropDiff(largestFirst.get(next++), trimmed, sizer);
        }
        if (sizer.over()) {
            shortenDescription(context, trimmed);
            sizer = new Sizer(context);
        }
        while (!changes.isEmpty() && sizer.over()) {
            sizer.remove(changes.get(changes.size() - 1));
            changes.remove(changes.size() - 1);
            trimmed.put("dropped_changes", trimmed.get("dropped_changes").asInt() + 1);
        }
        json = write(context);
        if (size(json) > maxBytes) {
            throw new IllegalArgumentException("the thread does not fit in " + maxBytes
                    + " bytes (tandem.launcher.context-max-bytes) even without notes, diffs and description");
        }
        return json;
    }

    private void dropDiff(ObjectNode change, ObjectNode trimmed, Sizer sizer) {
        sizer.remove(change.get("diff"));
        change.remove("diff");
        change.put("diff_trimmed", true);
        trimmed.put("trimmed_diffs", trimmed.get("trimmed_diffs").asInt() + 1);
    }

    private List<ObjectNode> largestDiffsFirst(ArrayNode changes, String positionPath) {
        List<ObjectNode> withText = new ArrayList<>();
        changes.forEach(c -> {
            if (c instanceof ObjectNode node && node.get("diff") != null && !node.get("diff").isNull()) {
                withText.add(node);
            }
        });
        withText.sort(Comparator.<ObjectNode, Boolean>comparing(c -> c.path("new_path").asText("").equals(positionPath))
                .thenComparing(Comparator.<ObjectNode>comparingInt(c -> c.get("diff").asText().length()).reversed()));
        return withText;
    }

    private void shortenDescription(ObjectNode context, ObjectNode trimmed) {
        ObjectNode subject = subject(context);
        JsonNode description = subject == null ? null : subject.get("description");
        if (description == null || !description.isTextual()) {
            return;
        }
        trimmed.put("description_truncated", true);
        String text = description.asText();
        // JSON escaping makes the encoded size differ from the raw one: search the longest prefix that fits.
        int low = 0;
        int high = size(text);
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            subject.put("description", prefixOfBytes(text, mid) + ELLIPSIS);
            if (size(write(context)) <= maxBytes) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        subject.put("description", prefixOfBytes(text, low) + ELLIPSIS);
    }

    private static ArrayNode changes(ObjectNode context) {
        JsonNode mr = context.get("merge_request");
        if (mr instanceof ObjectNode node && node.get("changes") instanceof ArrayNode changes) {
            return changes;
        }
        return new ObjectMapper().createArrayNode();
    }

    private static ObjectNode subject(ObjectNode context) {
        for (String field : new String[] {"issue", "merge_request", "epic"}) {
            if (context.get(field) instanceof ObjectNode node) {
                return node;
            }
        }
        return null;
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding fits in {@code bytes}, never splitting a character. */
    static String prefixOfBytes(String text, int bytes) {
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > bytes) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int size(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Tracks the context's size without writing it all again after every removal (a diff far over the budget
     * has thousands of parts): an estimate that only shrinks, checked exactly once it says "fits".
     */
    private final class Sizer {

        private final ObjectNode context;
        private int estimate;

        Sizer(ObjectNode context) {
            this.context = context;
            this.estimate = size(write(context));
        }

        void remove(JsonNode part) {
            estimate -= size(write(part));
        }

        boolean over() {
            if (estimate > maxBytes) {
                return true;
            }
            estimate = size(write(context));
            return estimate > maxBytes;
        }
    }
}
