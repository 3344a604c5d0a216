package io.tandem.matcher.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for identity-service's internal API (the neighbouring service is not part of these tests).
 * It records every call and, like the real one, creates each group's service account as a bot user in the
 * GitLab simulator, so the matcher meets a real GitLab user.
 */
public class FakeIdentityService implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "test-internal-token";

    public record Call(String method, String path) {
    }

    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final Map<String, JsonNode> ACCOUNTS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    public static List<Call> calls() {
        return List.copyOf(CALLS);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/service-accounts", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.identity-service.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "tandem.internal-token", INTERNAL_TOKEN);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Internal-Token"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            CALLS.add(new Call(method, path));
            if ("POST".equals(method) && path.equals("/internal/v1/service-accounts")) {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                JsonNode account = ACCOUNTS.computeIfAbsent(request.get("groupId").asText() + "/"
                        + request.get("agentName").asText(), key -> createServiceAccount(
                                request.get("groupId").asLong(), request.get("agentName").asText()));
                byte[] body = JSON.writeValueAsBytes(account);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else if (("PUT".equals(method) || "DELETE".equals(method)) && path.matches(".*/\\d+/projects/\\d+")) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    /** As identity-service does: a group service account named {@code ai-<agent>-<group path>}. */
    private static JsonNode createServiceAccount(long groupId, String agentName) {
        try {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode group = JSON.readTree(http.send(sim("/groups/" + groupId).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String username = "ai-" + slug(agentName) + "-" + slug(group.get("full_path").asText());
            String body = JSON.writeValueAsString(Map.of("username", username, "name", agentName));
            HttpResponse<String> created = http.send(sim("/groups/" + groupId + "/service_accounts")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("simulator refused the service account: " + created.body());
            }
            JsonNode user = JSON.readTree(created.body());
            return JSON.valueToTree(Map.of("id", user.get("id").asLong(), "username", user.get("username").asText(),
                    "groupId", groupId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder sim(String path) {
        return HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url() + "/api/v4" + path))
                .header("PRIVATE-TOKEN", GitlabSimulator.ROOT_TOKEN);
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
