package io.tandem.sim.rest;

import io.tandem.sim.repository.Hook;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiParams;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.HookService;
import io.tandem.sim.service.ProjectService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Projects and project webhooks. */
@Path("/api/v4/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ProjectResource {

    private final ProjectService projects;
    private final HookService hooks;
    private final AccessPolicy access;
    private final SimStore store;
    private final Caller caller;
    private final EntityViews views;

    public ProjectResource(ProjectService projects, HookService hooks, AccessPolicy access, SimStore store,
            Caller caller, EntityViews views) {
        this.projects = projects;
        this.hooks = hooks;
        this.access = access;
        this.store = store;
        this.caller = caller;
        this.views = views;
    }

    @POST
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = projects.create(caller.user(), Requests.params(uri, headers, body));
        return Response.status(201).entity(views.project(project, caller.user())).build();
    }

    @GET
    public Response list(@Context UriInfo uri) {
        ApiParams params = Requests.query(uri);
        boolean membership = params.bool("membership", false);
        boolean owned = params.bool("owned", false);
        String search = params.string("search");
        List<Project> result = SimStore.sorted(store.projects.values(), p -> access.canRead(caller.user(), p)
                && (!membership || access.projectAccess(caller.user().id, p) >= AccessLevels.GUEST)
                && (!owned || access.projectAccess(caller.user().id, p) >= AccessLevels.OWNER)
                && (search == null || p.name.toLowerCase().contains(search.toLowerCase())
                        || p.path.toLowerCase().contains(search.toLowerCase())),
                Comparator.comparing((Project p) -> p.createdAt).thenComparingLong(p -> p.id).reversed());
        return Paging.page(result, p -> views.project(p, caller.user()), uri);
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return views.project(access.readableProject(caller.user(), id), caller.user());
    }

    // ---- hooks (Maintainer)

    @POST
    @Path("/{id}/hooks")
    public Response createHook(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        Hook hook = hooks.create(project.id, null, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.hook(hook)).build();
    }

    @GET
    @Path("/{id}/hooks")
    public Response listHooks(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        return Paging.page(hooks.projectHooks(project.id), views::hook, uri);
    }

    @GET
    @Path("/{id}/hooks/{hookId}")
    public Map<String, Object> getHook(@PathParam("id") String id, @PathParam("hookId") long hookId) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        return views.hook(hooks.projectHook(project.id, hookId));
    }

    @PUT
    @Path("/{id}/hooks/{hookId}")
    public Map<String, Object> updateHook(@PathParam("id") String id, @PathParam("hookId") long hookId,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        Hook hook = hooks.projectHook(project.id, hookId);
        hooks.update(hook, Requests.params(uri, headers, body));
        return views.hook(hook);
    }

    @DELETE
    @Path("/{id}/hooks/{hookId}")
    public Response deleteHook(@PathParam("id") String id, @PathParam("hookId") long hookId) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        hooks.delete(hooks.projectHook(project.id, hookId));
        return Response.noContent().build();
    }
}
