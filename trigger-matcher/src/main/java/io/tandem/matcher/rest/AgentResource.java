package io.tandem.matcher.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.CallerToken;
import io.tandem.matcher.service.AgentCatalog;
import io.tandem.matcher.service.AgentDraft;
import io.tandem.matcher.service.CallerAuthenticator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The agent catalog: {@code /api/v1/projects/{projectId}/agents} and {@code /api/v1/agents/{agentId}}. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final CallerAuthenticator authenticator;
    private final AgentCatalog catalog;

    public AgentResource(CallerAuthenticator authenticator, AgentCatalog catalog) {
        this.authenticator = authenticator;
        this.catalog = catalog;
    }

    @POST
    @Path("/projects/{projectId}/agents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@PathParam("projectId") long projectId, AgentDraft draft,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> catalog.create(caller, projectId, draft))
                .map(agent -> Response.status(Response.Status.CREATED).entity(AgentView.of(agent)).build());
    }

    @GET
    @Path("/projects/{projectId}/agents")
    public Uni<List<AgentView>> list(@PathParam("projectId") long projectId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> catalog.list(caller, projectId))
                .map(agents -> agents.stream().map(AgentView::of).toList());
    }

    @GET
    @Path("/agents/{agentId}")
    public Uni<AgentView> get(@PathParam("agentId") long agentId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> catalog.get(caller, agentId))
                .map(AgentView::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/agents/{agentId}")
    public Uni<AgentView> update(@PathParam("agentId") long agentId, AgentDraft draft,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> catalog.update(caller, agentId, draft))
                .map(AgentView::of);
    }

    @DELETE
    @Path("/agents/{agentId}")
    public Uni<Response> delete(@PathParam("agentId") long agentId,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> catalog.delete(caller, agentId))
                .map(ignored -> Response.noContent().build());
    }
}
