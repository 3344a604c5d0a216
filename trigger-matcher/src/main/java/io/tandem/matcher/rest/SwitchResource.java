package io.tandem.matcher.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.CallerToken;
import io.tandem.matcher.service.CallerAuthenticator;
import io.tandem.matcher.service.SwitchService;
import io.tandem.matcher.service.SwitchService.Setting;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The "allow external agents" switches and turning one agent off. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SwitchResource {

    /** {@code {"allowed": bool, "locked": bool}}; {@code locked} only on the instance. */
    public record SettingRequest(Boolean allowed, Boolean locked) {
    }

    public record DisabledRequest(Boolean disabled) {
    }

    private final CallerAuthenticator authenticator;
    private final SwitchService switches;

    public SwitchResource(CallerAuthenticator authenticator, SwitchService switches) {
        this.authenticator = authenticator;
        this.switches = switches;
    }

    @GET
    @Path("/settings/external-agents")
    public Uni<Setting> instance(@HeaderParam("PRIVATE-TOKEN") String privateToken,
            @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(switches::instance);
    }

    @PUT
    @Path("/settings/external-agents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Setting> setInstance(SettingRequest request, @HeaderParam("PRIVATE-TOKEN") String privateToken,
            @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> switches.setInstance(caller, request == null ? null : request.allowed(),
                        request == null ? null : request.locked()));
    }

    @GET
    @Path("/groups/{groupId}/settings/external-agents")
    public Uni<Setting> group(@PathParam("groupId") long groupId, @HeaderParam("PRIVATE-TOKEN") String privateToken,
            @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> switches.group(caller, groupId));
    }

    @PUT
    @Path("/groups/{groupId}/settings/external-agents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Setting> setGroup(@PathParam("groupId") long groupId, SettingRequest request,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> switches.setGroup(caller, groupId, request == null ? null : request.allowed()));
    }

    @PUT
    @Path("/agents/{agentId}/disabled")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> setDisabled(@PathParam("agentId") long agentId, DisabledRequest request,
            @HeaderParam("PRIVATE-TOKEN") String privateToken, @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(CallerToken.from(privateToken, authorization))
                .chain(caller -> switches.setAgentDisabled(caller, agentId, request == null ? null : request.disabled()))
                .map(AgentView::of);
    }
}
