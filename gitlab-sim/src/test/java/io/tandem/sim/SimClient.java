package io.tandem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.gitlab4j.api.GitLabApi;

/** Plain HTTP and gitlab4j access to the simulator under test, plus unique names for seeded data. */
final class SimClient {

    static final String ROOT_TOKEN = "sim-root-token";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;

    SimClient(URL url) {
        String s = url.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    String base() {
        return base;
    }

    GitLabApi root() {
        return new GitLabApi(base, ROOT_TOKEN);
    }

    GitLabApi as(String token) {
        return new GitLabApi(base, token);
    }

    static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() % 1000 + "-" + SEQUENCE.incrementAndGet();
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    }

    Reply send(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
