package io.tandem.launcher.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** identity-service's internal API: the secrets a run needs, fetched at the moment they are needed. */
@RegisterRestClient(configKey = "identity-service")
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Tandem-Internal-Token", value = "${tandem.internal-token}")
public interface IdentityServiceClient {

    /** The service account's GitLab personal access token. */
    @POST
    @Path("/service-accounts/{userId}/gitlab-token")
    Uni<TokenResponse> serviceAccountToken(@PathParam("userId") long userId);

    /**
     * The run token (a JWT) that becomes {@code AI_FLOW_GITLAB_TOKEN}, and for a definition with
     * {@code injectGatewayToken} the run's AI gateway token and headers.
     */
    @POST
    @Path("/invocations/{invocationId}/run-token")
    Uni<RunTokenResponse> runToken(@PathParam("invocationId") String invocationId);

    /** A token answer. {@code toString} is overridden so the secret can never reach a log line. */
    record TokenResponse(String token, String expiresAt) {
        @Override
        public String toString() {
            return "TokenResponse[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    /** @param gateway null unless the invocation's definition asks for managed model credentials */
    record RunTokenResponse(String token, String expiresAt, GatewayResponse gateway) {
        @Override
        public String toString() {
            return "RunTokenResponse[token=***, expiresAt=" + expiresAt + ", gateway=" + gateway + "]";
        }
    }

    /** {@code AI_FLOW_AI_GATEWAY_TOKEN} and {@code AI_FLOW_AI_GATEWAY_HEADERS} ({@code Key: Value} lines). */
    record GatewayResponse(String token, String headers) {
        @Override
        public String toString() {
            return "GatewayResponse[token=***, headers=" + headers + "]";
        }
    }
}
