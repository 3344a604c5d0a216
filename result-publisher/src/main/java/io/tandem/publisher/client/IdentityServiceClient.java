package io.tandem.publisher.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** identity-service's internal API, the part result-publisher needs. */
@RegisterRestClient(configKey = "identity-service")
@Path("/internal/v1")
public interface IdentityServiceClient {

    String INTERNAL_TOKEN_HEADER = "X-Tandem-Internal-Token";

    @POST
    @Path("/service-accounts/{userId}/gitlab-token")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<GitlabToken> gitlabToken(@PathParam("userId") long userId,
            @HeaderParam(INTERNAL_TOKEN_HEADER) String internalToken);
}
