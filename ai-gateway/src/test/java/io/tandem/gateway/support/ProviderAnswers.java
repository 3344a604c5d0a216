package io.tandem.gateway.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers in the shapes of the providers' API references, with fixed token counts a test can look for:
 * Anthropic JSON 11/22, Anthropic stream 25/15, chat JSON 9/12, chat stream 13/17, Responses JSON 30/40,
 * Responses stream 31/41 (input/output).
 */
final class ProviderAnswers {

    private ProviderAnswers() {
    }

    static String anthropicJson(String model) {
        return """
                {"id":"msg_01","type":"message","role":"assistant","model":"%s",\
                "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,\
                "usage":{"input_tokens":11,"output_tokens":22}}""".formatted(model);
    }

    static List<String> anthropicStream(String model) {
        return List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: ping\ndata: {\"type\": \"ping\"}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    /** An Anthropic stream of {@code deltas} text deltas, one event each, output tokens = deltas. */
    static List<String> anthropicStream(String model, int deltas) {
        List<String> events = new ArrayList<>(deltas + 5);
        List<String> fixed = anthropicStream(model);
        events.add(fixed.get(0));
        events.add(fixed.get(1));
        for (int i = 0; i < deltas; i++) {
            events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\" token" + i + "\"}}\n\n");
        }
        events.add(fixed.get(5));
        events.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}}\n\n");
        events.add(fixed.get(7));
        return events;
    }

    static String chatJson(String model) {
        return """
                {"id":"chatcmpl-01","object":"chat.completion","created":1764000000,"model":"%s",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}""".formatted(model);
    }

    static List<String> chatStream(String model) {
        String head = "{\"id\":\"chatcmpl-02\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + model + "\",";
        return List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"finish_reason\":null}],\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello!\"},\"finish_reason\":null}],"
                        + "\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":17,"
                        + "\"total_tokens\":30}}\n\n",
                "data: [DONE]\n\n");
    }

    static String responsesJson(String model) {
        return """
                {"id":"resp_01","object":"response","created_at":1764000000,"status":"completed","model":"%s",\
                "output":[{"type":"message","id":"msg_01","status":"completed","role":"assistant",\
                "content":[{"type":"output_text","text":"Hello!","annotations":[]}]}],\
                "usage":{"input_tokens":30,"input_tokens_details":{"cached_tokens":0},"output_tokens":40,\
                "output_tokens_details":{"reasoning_tokens":0},"total_tokens":70}}""".formatted(model);
    }

    static List<String> responsesStream(String model) {
        String response = "{\"id\":\"resp_02\",\"object\":\"response\",\"created_at\":1764000000,\"model\":\"" + model
                + "\",";
        return List.of(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + response + "\"status\":\"in_progress\",\"output\":[],\"usage\":null}}\n\n",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                        + "\"item_id\":\"msg_02\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello!\"}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":"
                        + response + "\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":31,"
                        + "\"output_tokens\":41,\"total_tokens\":72}}}\n\n");
    }
}
