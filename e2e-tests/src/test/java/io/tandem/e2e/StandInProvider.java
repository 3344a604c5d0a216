package io.tandem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The model provider ai-gateway forwards to, standing in for Anthropic's Messages API ({@code POST /v1/messages}):
 * a JSON answer, or with {@code "stream": true} the server-sent event sequence of Anthropic's streaming reference
 * ({@code message_start} with the input tokens, text deltas, {@code message_delta} with the cumulative output
 * tokens, {@code message_stop}). Every request it received is kept, headers included, so a test can check what
 * reached the provider.
 */
final class StandInProvider implements AutoCloseable {

    /** The token counts it reports: distinct per kind of answer, so a test can tell which one was counted. */
    static final int JSON_INPUT_TOKENS = 31;
    static final int JSON_OUTPUT_TOKENS = 7;
    static final int STREAM_INPUT_TOKENS = 42;
    static final int STREAM_OUTPUT_TOKENS = 17;

    /** One request as it arrived: header names in lower case. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private StandInProvider(HttpServer server) {
        this.server = server;
    }

    static StandInProvider start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StandInProvider provider = new StandInProvider(server);
            server.createContext("/", provider::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "stand-in-provider");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return provider;
        } catch (IOException e) {
            throw new IllegalStateException("the stand-in provider did not start", e);
        }
    }

    /** Its base URL, as {@code TANDEM_ANTHROPIC_URL} takes it (the path after it is {@code /v1/messages}). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));

            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/messages".equals(exchange.getRequestURI().getPath())) {
                answer(exchange, 404, "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
                return;
            }
            JsonNode request = JSON.readTree(body);
            String model = request.path("model").asText();
            if (request.path("stream").asBoolean(false)) {
                stream(exchange, model);
            } else {
                answer(exchange, 200, "application/json", """
                        {"id":"msg_e2e_json","type":"message","role":"assistant","model":"%s",\
                        "content":[{"type":"text","text":"Hello from the stand-in."}],\
                        "stop_reason":"end_turn","stop_sequence":null,\
                        "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(model, JSON_INPUT_TOKENS,
                        JSON_OUTPUT_TOKENS));
            }
        }
    }

    private static void stream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        event(out, "message_start", """
                {"type":"message_start","message":{"id":"msg_e2e_stream","type":"message","role":"assistant",\
                "content":[],"model":"%s","stop_reason":null,"stop_sequence":null,\
                "usage":{"input_tokens":%d,"output_tokens":1}}}""".formatted(model, STREAM_INPUT_TOKENS));
        event(out, "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(out, "ping", "{\"type\":\"ping\"}");
        for (String text : List.of("Hello", " from the", " stream.")) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + STREAM_OUTPUT_TOKENS + "}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
        out.close();
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
