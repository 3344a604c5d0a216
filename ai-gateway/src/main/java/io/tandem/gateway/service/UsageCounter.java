package io.tandem.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Counts a response's tokens while it streams through, from the provider's own usage reports, without holding
 * a stream back: server-sent events are read line by line, a JSON answer is kept aside (up to a limit) and read
 * at its end. Both providers report usage under {@code usage}, at the top (JSON answers, OpenAI chat chunks),
 * in {@code message} (Anthropic {@code message_start}) or in {@code response} (OpenAI Responses
 * {@code response.completed}); the counts are cumulative, so the largest seen is the total.
 */
public final class UsageCounter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A line of an event stream longer than this is skipped: usage sits in small events. */
    private static final int MAX_LINE = 1 << 20;

    private enum Mode { SSE, JSON, NONE }

    private final int maxJsonBody;
    private Mode mode = Mode.NONE;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean overflow;
    private final StringBuilder eventData = new StringBuilder();
    private long inputTokens;
    private long outputTokens;
    private boolean reported;

    public UsageCounter(int maxJsonBody) {
        this.maxJsonBody = maxJsonBody;
    }

    /** The response's content type decides how its body is read. */
    public void start(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        mode = type.startsWith("text/event-stream") ? Mode.SSE : type.contains("json") ? Mode.JSON : Mode.NONE;
    }

    public void chunk(Buffer chunk) {
        if (mode == Mode.SSE) {
            lines(chunk.getBytes());
        } else if (mode == Mode.JSON && !overflow) {
            if (pending.size() + chunk.length() > maxJsonBody) {
                overflow = true;
                pending = new ByteArrayOutputStream();
            } else {
                pending.writeBytes(chunk.getBytes());
            }
        }
    }

    public void end() {
        if (mode == Mode.SSE) {
            if (pending.size() > 0) {
                line(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
            dispatch();
        } else if (mode == Mode.JSON && !overflow && pending.size() > 0) {
            read(pending.toString(StandardCharsets.UTF_8));
            pending = new ByteArrayOutputStream();
        }
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    /** Whether the provider reported any usage at all. */
    public boolean reported() {
        return reported;
    }

    private void lines(byte[] bytes) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (!overflow) {
                    pending.write(bytes, start, i - start);
                    line(pending.toString(StandardCharsets.UTF_8));
                }
                pending.reset();
                overflow = false;
                start = i + 1;
            }
        }
        if (start < bytes.length && !overflow) {
            if (pending.size() + bytes.length - start > MAX_LINE) {
                overflow = true;
                pending.reset();
            } else {
                pending.write(bytes, start, bytes.length - start);
            }
        }
    }

    private void line(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (text.isEmpty()) {
            dispatch();
        } else if (text.startsWith("data:")) {
            if (!eventData.isEmpty()) {
                eventData.append('\n');
            }
            eventData.append(text.startsWith("data: ") ? text.substring(6) : text.substring(5));
        }
    }

    private void dispatch() {
        if (!eventData.isEmpty()) {
            String data = eventData.toString();
            eventData.setLength(0);
            // Most events are text deltas: only the few that carry usage are parsed.
            if (data.contains("\"usage\"")) {
                read(data);
            }
        }
    }

    private void read(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                return;
            }
            usage(node.path("usage"));
            usage(node.path("message").path("usage"));
            usage(node.path("response").path("usage"));
        } catch (IOException e) {
            // Not JSON (or cut short): nothing to count.
        }
    }

    private void usage(JsonNode usage) {
        if (!usage.isObject()) {
            return;
        }
        JsonNode input = usage.has("input_tokens") ? usage.get("input_tokens") : usage.get("prompt_tokens");
        JsonNode output = usage.has("output_tokens") ? usage.get("output_tokens") : usage.get("completion_tokens");
        if (input != null && input.canConvertToLong()) {
            inputTokens = Math.max(inputTokens, input.asLong());
            reported = true;
        }
        if (output != null && output.canConvertToLong()) {
            outputTokens = Math.max(outputTokens, output.asLong());
            reported = true;
        }
    }
}
