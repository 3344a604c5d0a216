package io.tandem.sim.rest;

import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Hook;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiParams;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.GroupService;
import io.tandem.sim.service.HookService;
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

/** Groups and group webhooks. */
@Path("/api/v4/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class GroupResource {

    private final GroupService groups;
    private final HookService hooks;
    private final AccessPolicy access;
    private final SimStore store;
    private final Caller caller;
    private final EntityViews views;

    public GroupResource(GroupService groups, HookService hooks, AccessPolicy access, SimStore store, Caller caller,
            EntityViews views) {
        this.groups = groups;
        this.hooks = hooks;
        this.access = access;
        this.store = store;
        this.caller = caller;
        this.views = views;
    }

    @POST
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = groups.create(caller.user(), Requests.params(uri, headers, body));
        return Response.status(201).entity(views.group(group)).build();
    }

    @GET
    public Response list(@Context UriInfo uri) {
        ApiParams params = Requests.query(uri);
        String search = params.string("search");
        boolean topLevel = params.bool("top_level_only", false);
        List<Group> result = SimStore.sorted(store.groups.values(), g -> access.canRead(caller.user(), g)
                && (search == null || g.name.toLowerCase().contains(search.toLowerCase())
                        || g.path.toLowerCase().contains(search.toLowerCase()))
                && (!topLevel || g.parentId == null),
                Comparator.comparing((Group g) -> g.name.toLowerCase()).thenComparingLong(g -> g.id));
        return Paging.page(result, views::group, uri);
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return views.group(access.readableGroup(caller.user(), id));
    }

    @GET
    @Path("/{id}/subgroups")
    public Response subgroups(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        List<Group> result = SimStore.sorted(store.groups.values(),
                g -> g.parentId != null && g.parentId == group.id && access.canRead(caller.user(), g),
                Comparator.comparing((Group g) -> g.name.toLowerCase()));
        return Paging.page(result, views::group, uri);
    }

    @GET
    @Path("/{id}/projects")
    public Response projects(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        boolean subgroups = Requests.query(uri).bool("include_subgroups", false);
        List<Project> result = SimStore.sorted(store.projects.values(),
                p -> (p.namespaceId == group.id
                        || (subgroups && access.groupChain(p.namespaceId).stream().anyMatch(g -> g.id == group.id)))
                        && access.canRead(caller.user(), p),
                Comparator.comparing((Project p) -> p.createdAt).reversed());
        return Paging.page(result, p -> views.project(p, caller.user()), uri);
    }

    // ---- hooks (Owner)

    @POST
    @Path("/{id}/hooks")
    public Response createHook(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        Hook hook = hooks.create(null, group.id, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.hook(hook)).build();
    }

    @GET
    @Path("/{id}/hooks")
    public Response listHooks(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        return Paging.page(hooks.groupHooks(group.id), views::hook, uri);
    }

    @GET
    @Path("/{id}/hooks/{hookId}")
    public Map<String, Object> getHook(@PathParam("id") String id, @PathParam("hookId") long hookId) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        return views.hook(hooks.groupHook(group.id, hookId));
    }

    @PUT
    @Path("/{id}/hooks/{hookId}")
    public Map<String, Object> updateHook(@PathParam("id") String id, @PathParam("hookId") long hookId,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        Hook hook = hooks.groupHook(group.id, hookId);
        hooks.update(hook, Requests.params(uri, headers, body));
        return views.hook(hook);
    }

    @DELETE
    @Path("/{id}/hooks/{hookId}")
    public Response deleteHook(@PathParam("id") String id, @PathParam("hookId") long hookId) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        hooks.delete(hooks.groupHook(group.id, hookId));
        return Response.noContent().build();
    }
}
