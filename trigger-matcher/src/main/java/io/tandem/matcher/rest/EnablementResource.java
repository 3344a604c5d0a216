package io.tandem.matcher.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.CallerToken;
import io.tandem.matcher.rest.EnablementViews.GroupEnablementView;
import io.tandem.matcher.rest.EnablementViews.ProjectEnablementView;
import io.tandem.matcher.rest.EnablementViews.TriggersRequest;
import io.tandem.matcher.service.CallerAuthenticator;
import io.tandem.matcher.service.EnablementService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Enabling agents in a top-level group and in its projects. Enabling again is harmless: 201 the first time,
 * 200 with the same service account after.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class EnablementResource {

    private final CallerAuthenticator authenticator;
    private final EnablementService enablements;

    public EnablementResource(CallerAuthenticator authenticator, EnablementService enablements) {
        this.authenticator = authenticator;
        this.enablements = enablements;
    }

    @POST
    @Path("/groups/{groupId}/agents/{agentId}/enable")
    public Uni<Response> enableInGroup(@PathParam("groupId") long groupId, @PathParam("agentId") long agentId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> enablements.enableInGroup(caller, groupId, agentId))
                .map(enabled -> Response.status(enabled.created() ? 201 : 200)
                        .entity(GroupEnablementView.of(enabled.enablement())).build());
    }

    @DELETE
    @Path("/groups/{groupId}/agents/{agentId}/enable")
    public Uni<Response> disableInGroup(@PathParam("groupId") long groupId, @PathParam("agentId") long agentId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> enablements.disableInGroup(caller, groupId, agentId))
                .map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/projects/{projectId}/agents/{agentId}/enable")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> enableInProject(@PathParam("projectId") long projectId, @PathParam("agentId") long agentId,
            TriggersRequest request,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> enablements.enableInProject(caller, projectId, agentId,
                        request == null ? null : request.triggers(), request == null ? null : request.definitionPath()))
                .map(enabled -> Response.status(enabled.created() ? 201 : 200)
                        .entity(ProjectEnablementView.of(enabled.enablement())).build());
    }

    @DELETE
    @Path("/projects/{projectId}/agents/{agentId}/enable")
    public Uni<Response> disableInProject(@PathParam("projectId") long projectId, @PathParam("agentId") long agentId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> enablements.disableInProject(caller, projectId, agentId))
                .map(ignored -> Response.noContent().build());
    }
}
