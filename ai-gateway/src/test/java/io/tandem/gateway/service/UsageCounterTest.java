package io.tandem.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage read from answers cut anywhere: the network splits events, lines and UTF-8 characters at will. */
class UsageCounterTest {

    private static final String ANTHROPIC_STREAM = String.join("\r\n",
            "event: message_start",
            "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[],\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Grüße, \\\"usage\\\"\"}}",
            "",
            "event: message_delta",
            "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}",
            "",
            "event: message_stop",
            "data: {\"type\":\"message_stop\"}",
            "", "");

    @Test
    void anEventStreamCutIntoTinyPiecesIsCountedOnce() {
        for (int size : new int[] {1, 3, 7, 64, 100_000}) {
            UsageCounter counter = new UsageCounter(1024);
            counter.start("text/event-stream; charset=utf-8");
            byte[] bytes = ANTHROPIC_STREAM.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += size) {
                counter.chunk(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i)));
            }
            counter.end();
            assertEquals(25, counter.inputTokens(), "pieces of " + size);
            assertEquals(15, counter.outputTokens(), "pieces of " + size);
        }
    }

    @Test
    void aJsonAnswerLargerThanTheLimitIsNotCountedAndOtherTypesAreIgnored() {
        UsageCounter tooLarge = new UsageCounter(16);
        tooLarge.start("application/json");
        tooLarge.chunk(Buffer.buffer("{\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}"));
        tooLarge.end();
        assertFalse(tooLarge.reported());

        UsageCounter json = new UsageCounter(1024);
        json.start("application/json");
        json.chunk(Buffer.buffer("{\"usage\":{\"prompt_tokens\":5,"));
        json.chunk(Buffer.buffer("\"completion_tokens\":6}}"));
        json.end();
        assertTrue(json.reported());
        assertEquals(5, json.inputTokens());
        assertEquals(6, json.outputTokens());

        UsageCounter text = new UsageCounter(1024);
        text.start("text/plain");
        text.chunk(Buffer.buffer("{\"usage\":{\"input_tokens\":5}}"));
        text.end();
        assertFalse(text.reported());
    }
}
