package io.tandem.matcher.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** identity-service's internal API: it owns the group service accounts and their GitLab memberships. */
@RegisterRestClient(configKey = "identity-service")
@Path("/internal/v1/service-accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Tandem-Internal-Token", value = "${tandem.internal-token}")
public interface IdentityServiceClient {

    /** Creates the group's service account for the agent, or returns the existing one. */
    @POST
    Uni<ServiceAccount> createServiceAccount(ServiceAccountRequest request);

    /** Adds the service account to the project as Developer; already a member is fine. */
    @PUT
    @Path("/{userId}/projects/{projectId}")
    Uni<Void> addToProject(@PathParam("userId") long userId, @PathParam("projectId") long projectId);

    @DELETE
    @Path("/{userId}/projects/{projectId}")
    Uni<Void> removeFromProject(@PathParam("userId") long userId, @PathParam("projectId") long projectId);
}
