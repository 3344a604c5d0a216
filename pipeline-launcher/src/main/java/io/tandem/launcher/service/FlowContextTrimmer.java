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

/**
 * Keeps {@code AI_FLOW_CONTEXT} under {@code tandem.launcher.context-max-bytes}: drops the oldest notes first
 * (the newest ones, next to the request, matter most), then shortens the description, and says in a
 * {@code trimmed} object what it left out so the agent knows its view is partial.
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
        int total = notes.size();
        int dropped = 0;
        trimmed.put("dropped_oldest_notes", 0);
        trimmed.put("notes_total", total);
        json = write(context);
        while (size(json) > maxBytes && !notes.isEmpty()) {
            notes.remove(0);
            dropped++;
            trimmed.put("dropped_oldest_notes", dropped);
            json = write(context);
        }
        if (size(json) > maxBytes) {
            json = shortenDescription(context, trimmed);
        }
        if (size(json) > maxBytes) {
            throw new IllegalStateException("the thread does not fit in " + maxBytes + " bytes even without notes"
                    + " and description");
        }
        return json;
    }

    private String shortenDescription(ObjectNode context, ObjectNode trimmed) {
        ObjectNode subject = subject(context);
        JsonNode description = subject == null ? null : subject.get("description");
        if (description == null || !description.isTextual()) {
            return write(context);
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
        return write(context);
    }

    private static ObjectNode subject(ObjectNode context) {
        for (String field : new String[] {"issue", "merge_request"}) {
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
}
