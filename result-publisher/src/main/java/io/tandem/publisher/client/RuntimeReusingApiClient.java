package io.tandem.publisher.client;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Field;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApi.ApiVersion;
import org.gitlab4j.api.GitLabApiClient;
import org.gitlab4j.models.Constants.TokenType;
import org.glassfish.jersey.client.ClientProperties;

/**
 * A gitlab4j client whose requests share one Jersey runtime.
 *
 * <p>gitlab4j-api 6.2.0 sets a property on every request's {@code WebTarget} ({@code GitLabApiClient.invocation}),
 * and Jersey answers a changed configuration with a new runtime: a new injection manager, Jackson provider and
 * {@code ObjectMapper}, whose deserializers are then built again from scratch. Measured in the end-to-end benchmark,
 * that was a third to a half of pipeline-launcher's, result-publisher's and identity-service's CPU. The fix
 * (gitlab4j-api#1309: set the properties once, on the client) is released for 5.x only; this class does the same
 * by overriding {@code invocation}, the extension point gitlab4j offers. Drop it when a 6.x release has the fix.
 */
public final class RuntimeReusingApiClient extends GitLabApiClient {

    private final String authHeader;
    private final String authValue;
    private Client client;

    private RuntimeReusingApiClient(String hostUrl, TokenType tokenType, String token, Map<String, Object> config) {
        super(ApiVersion.V4, hostUrl, tokenType, token, null, config);
        this.authHeader = switch (tokenType) {
            case OAUTH2_ACCESS -> AUTHORIZATION_HEADER;
            case JOB_TOKEN -> JOB_TOKEN_HEADER;
            default -> PRIVATE_TOKEN_HEADER;
        };
        this.authValue = tokenType == TokenType.OAUTH2_ACCESS ? "Bearer " + token : token;
    }

    /**
     * A {@link GitLabApi} acting as the owner of {@code token}, with these timeouts on every request. It is
     * thread-safe: keep it for as long as the token is used (its runtime is what makes the next call cheap).
     */
    public static GitLabApi open(String hostUrl, TokenType tokenType, String token, Duration connectTimeout,
            Duration readTimeout) {
        Map<String, Object> config = Map.of(
                ClientProperties.CONNECT_TIMEOUT, (int) connectTimeout.toMillis(),
                ClientProperties.READ_TIMEOUT, (int) readTimeout.toMillis(),
                ClientProperties.FOLLOW_REDIRECTS, true);
        GitLabApi api = new GitLabApi(ApiVersion.V4, hostUrl, tokenType, token, null, config);
        install(api, new RuntimeReusingApiClient(hostUrl, tokenType, token, config));
        return api;
    }

    @Override
    protected Invocation.Builder invocation(URL url, MultivaluedMap<String, String> queryParams, String accept) {
        WebTarget target = client().target(url.toExternalForm());
        if (queryParams != null) {
            for (Map.Entry<String, List<String>> param : queryParams.entrySet()) {
                target = target.queryParam(param.getKey(), param.getValue().toArray());
            }
        }
        Invocation.Builder builder = target.request().header(authHeader, authValue);
        return accept == null || accept.isBlank() ? builder : builder.accept(accept);
    }

    private synchronized Client client() {
        if (client == null) {
            client = createApiClient();
        }
        return client;
    }

    // GitLabApi builds its GitLabApiClient itself and keeps it in a package-private field: the only way in.
    private static void install(GitLabApi api, GitLabApiClient client) {
        try {
            Field field = GitLabApi.class.getDeclaredField("apiClient");
            field.setAccessible(true);
            field.set(api, client);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("gitlab4j-api changed: GitLabApi.apiClient not found", e);
        }
    }
}
