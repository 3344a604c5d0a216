package io.tandem.launcher.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Stands in for ai-gateway's budget check (the neighbouring service, tested in its own module): a requester the
 * test marks as over budget is refused with a reason, everyone else may start. It records the queries it got.
 */
public class FakeAiGateway implements QuarkusTestResourceLifecycleManager {

    public static final String REASON = "The daily AI token budget of @over-budget (1000 tokens) is used up.";
    private static final Set<Long> OVER_BUDGET = ConcurrentHashMap.newKeySet();
    private static final Queue<String> QUERIES = new ConcurrentLinkedQueue<>();

    private HttpServer server;

    public static void overBudget(long userId) {
        OVER_BUDGET.add(userId);
    }

    /** The query strings of the budget checks asked so far. */
    public static Queue<String> queries() {
        return QUERIES;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/budget-checks", this::check);
        server.start();
        return Map.of("quarkus.rest-client.ai-gateway.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void check(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!FakeIdentityService.INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Internal-Token"))) {
                respond(exchange, 401, "{}");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            QUERIES.add(query);
            boolean over = OVER_BUDGET.stream().anyMatch(id -> query != null && query.contains("userId=" + id));
            respond(exchange, 200, over ? "{\"allowed\":false,\"reason\":\"" + REASON + "\"}" : "{\"allowed\":true}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
