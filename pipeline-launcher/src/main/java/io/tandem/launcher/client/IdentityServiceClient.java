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

    /** The run token (a JWT) that becomes {@code AI_FLOW_GITLAB_TOKEN}. */
    @POST
    @Path("/invocations/{invocationId}/run-token")
    Uni<TokenResponse> runToken(@PathParam("invocationId") String invocationId);

    /** A token answer. {@code toString} is overridden so the secret can never reach a log line. */
    record TokenResponse(String token, String expiresAt) {
        @Override
        public String toString() {
            return "TokenResponse[token=***, expiresAt=" + expiresAt + "]";
        }
    }
}
