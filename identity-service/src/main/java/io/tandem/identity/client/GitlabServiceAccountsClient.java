package io.tandem.identity.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.identity.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab's group service account API, over plain HTTP because gitlab4j does not cover it. Blocking: call it
 * from a worker thread. Responses carrying a token are never logged or put into an exception.
 */
@ApplicationScoped
public class GitlabServiceAccountsClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TOKEN_SCOPES = List.of("api", "write_repository");
    private static final String TOKEN_NAME = "tandem";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final String apiUrl;
    private final String adminToken;

    public GitlabServiceAccountsClient(TandemConfig config, ObjectMapper json) {
        this.json = json;
        this.apiUrl = config.gitlab().url().replaceAll("/+$", "") + "/api/v4";
        this.adminToken = config.gitlab().token();
    }

    public Optional<ServiceAccount> find(long groupId, String username) {
        return list(groupId).stream().filter(account -> username.equals(account.username())).findFirst();
    }

    public List<ServiceAccount> list(long groupId) {
        List<ServiceAccount> accounts = new ArrayList<>();
        String page = "1";
        while (page != null && !page.isBlank()) {
            HttpResponse<String> response = send(get("/groups/" + groupId + "/service_accounts?per_page=100&page=" + page),
                    "list the service accounts of group " + groupId);
            accounts.addAll(read(response.body(), new TypeReference<List<ServiceAccount>>() {
            }));
            page = response.headers().firstValue("X-Next-Page").orElse(null);
        }
        return accounts;
    }

    public ServiceAccount create(long groupId, String name, String username) {
        HttpResponse<String> response = send(post("/groups/" + groupId + "/service_accounts",
                Map.of("name", name, "username", username)), "create service account " + username);
        return read(response.body(), new TypeReference<ServiceAccount>() {
        });
    }

    public PersonalAccessToken createToken(long groupId, long userId, LocalDate expiresAt) {
        HttpResponse<String> response = send(post("/groups/" + groupId + "/service_accounts/" + userId
                + "/personal_access_tokens", Map.of("name", TOKEN_NAME, "scopes", TOKEN_SCOPES,
                        "expires_at", expiresAt.toString())),
                "create a personal access token for service account " + userId);
        return token(response, userId, expiresAt);
    }

    /**
     * Rotates the token: GitLab revokes it at once and answers its successor (same name and scopes). A token
     * GitLab no longer knows or has already revoked gets a 4xx {@link GitlabCallException}.
     */
    public PersonalAccessToken rotateToken(long groupId, long userId, long tokenId, LocalDate expiresAt) {
        HttpResponse<String> response = send(post("/groups/" + groupId + "/service_accounts/" + userId
                + "/personal_access_tokens/" + tokenId + "/rotate", Map.of("expires_at", expiresAt.toString())),
                "rotate personal access token " + tokenId + " of service account " + userId);
        return token(response, userId, expiresAt);
    }

    private PersonalAccessToken token(HttpResponse<String> response, long userId, LocalDate expiresAt) {
        PersonalAccessToken token = read(response.body(), new TypeReference<PersonalAccessToken>() {
        });
        if (token.token() == null || token.token().isBlank()) {
            throw new GitlabCallException(response.statusCode(), "GitLab answered a token for service account "
                    + userId + " but did not return its value");
        }
        return token.expiresAt() != null ? token : new PersonalAccessToken(token.id(), token.token(), expiresAt);
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, Object body) {
        try {
            return request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(TIMEOUT)
                .header("PRIVATE-TOKEN", adminToken).header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitlabCallException("GitLab could not be reached to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitlabCallException("interrupted while trying to " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new GitlabCallException(response.statusCode(),
                    "GitLab answered " + response.statusCode() + " to: " + what + message(response.body()));
        }
        return response;
    }

    /** GitLab's error message, if the error body has one; error bodies never carry a token. */
    private String message(String body) {
        try {
            Object message = json.readValue(body, Map.class).get("message");
            return message == null ? "" : " (" + message + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private <T> T read(String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new GitlabCallException(0, "GitLab answered with a body Tandem cannot read");
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceAccount(long id, String username, String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PersonalAccessToken(Long id, String token, @JsonProperty("expires_at") LocalDate expiresAt) {

        @Override
        public String toString() {
            return "PersonalAccessToken[id=" + id + ", expiresAt=" + expiresAt + "]";
        }
    }
}
