package io.tandem.launcher.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for identity-service's internal API (the neighbouring service, not under test here): hands out
 * the GitLab tokens the test registered for service accounts, and a dummy run token. Like the real one it
 * answers 401 without the internal token and 404 for an unknown service account.
 */
public class FakeIdentityService implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "tandem-local-internal-token";
    public static final String RUN_TOKEN = "eyJhbGciOiJFUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJydW4ifQ.c2lnbmF0dXJl";

    private static final Pattern ACCOUNT_TOKEN = Pattern.compile("/internal/v1/service-accounts/(\\d+)/gitlab-token");
    private static final Pattern RUN_TOKEN_PATH = Pattern.compile("/internal/v1/invocations/([^/]+)/run-token");
    private static final Map<Long, String> ACCOUNT_TOKENS = new ConcurrentHashMap<>();

    private HttpServer server;

    /** Registers the GitLab token identity-service would hold for a service account. */
    public static void registerServiceAccount(long userId, String gitlabToken) {
        ACCOUNT_TOKENS.put(userId, gitlabToken);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.identity-service.url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "tandem.internal-token", INTERNAL_TOKEN,
                "tandem.launcher.gitlab-backoff", "50ms");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Internal-Token"))) {
                respond(exchange, 401, "{\"message\":\"401 Unauthorized\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher account = ACCOUNT_TOKEN.matcher(path);
            Matcher run = RUN_TOKEN_PATH.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{}");
            } else if (account.matches()) {
                String token = ACCOUNT_TOKENS.get(Long.parseLong(account.group(1)));
                if (token == null) {
                    respond(exchange, 404, "{\"message\":\"unknown service account\"}");
                } else {
                    respond(exchange, 200, "{\"token\":\"" + token + "\"}");
                }
            } else if (run.matches()) {
                respond(exchange, 200, "{\"token\":\"" + RUN_TOKEN + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
            } else {
                respond(exchange, 404, "{}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
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
