package io.tandem.identity.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.identity.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists repository trees through GitLab's {@code GET /projects/:id/repository/tree} with a given token (the
 * service account's: the proxy reads only what the run could). Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class GitlabTrees {

    /** One entry as GitLab lists it: {@code type} {@code blob}, {@code tree} or {@code commit}, octal {@code mode}. */
    public record Entry(String id, String name, String type, String path, String mode) {

        public boolean isTree() {
            return "tree".equals(type);
        }
    }

    private static final int PER_PAGE = 100;

    private final HttpClient http;
    private final ObjectMapper json;
    private final String gitlabUrl;
    private final Duration readTimeout;

    public GitlabTrees(TandemConfig config, ObjectMapper json) {
        this.json = json;
        this.gitlabUrl = config.gitlab().url().replaceAll("/+$", "");
        this.readTimeout = config.gitlab().readTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(config.gitlab().connectTimeout()).build();
    }

    /** The entries at {@code path} (null: the root) of {@code ref}; empty when GitLab has no such tree (404). */
    public Optional<List<Entry>> list(long projectId, String ref, String path, boolean recursive, String token)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        String page = "1";
        while (page != null && !page.isEmpty()) {
            StringBuilder uri = new StringBuilder(gitlabUrl).append("/api/v4/projects/").append(projectId)
                    .append("/repository/tree?per_page=").append(PER_PAGE).append("&page=").append(page)
                    .append("&ref=").append(URLEncoder.encode(ref, StandardCharsets.UTF_8));
            if (path != null && !path.isEmpty()) {
                uri.append("&path=").append(URLEncoder.encode(path, StandardCharsets.UTF_8));
            }
            if (recursive) {
                uri.append("&recursive=true");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(readTimeout)
                    .header("PRIVATE-TOKEN", token).GET().build();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while listing a tree");
            }
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                // Never the URL's token or the body: the status says enough.
                throw new IOException("GitLab answered " + response.statusCode() + " to a tree listing");
            }
            for (JsonNode node : json.readTree(response.body())) {
                entries.add(new Entry(node.path("id").asText(), node.path("name").asText(), node.path("type").asText(),
                        node.path("path").asText(), node.path("mode").asText()));
            }
            page = response.headers().firstValue("X-Next-Page").orElse(null);
        }
        return Optional.of(entries);
    }
}
