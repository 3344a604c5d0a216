package io.tandem.sim.rest;

import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Project;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.DiffService;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.MergeRequestService;
import jakarta.ws.rs.Consumes;
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
import java.util.Map;

/** Merge requests of a project. */
@Path("/api/v4/projects/{id}/merge_requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class MergeRequestResource {

    private final MergeRequestService mergeRequests;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;
    private final DiffService diffs;

    public MergeRequestResource(MergeRequestService mergeRequests, AccessPolicy access, Caller caller,
            EntityViews views, DiffService diffs) {
        this.diffs = diffs;
        this.mergeRequests = mergeRequests;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    @POST
    public Response create(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        MergeRequest mr = mergeRequests.create(caller.user(), project, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.mergeRequest(mr)).build();
    }

    @GET
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        return Paging.page(mergeRequests.list(project, Requests.query(uri)), views::mergeRequest, uri);
    }

    @GET
    @Path("/{iid}")
    public Map<String, Object> get(@PathParam("id") String id, @PathParam("iid") long iid) {
        Project project = access.readableProject(caller.user(), id);
        return views.mergeRequest(mergeRequests.get(project, iid));
    }

    @PUT
    @Path("/{iid}")
    public Map<String, Object> update(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri,
            @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        return views.mergeRequest(mergeRequests.update(caller.user(), project, mr, Requests.params(uri, headers, body)));
    }

    @GET
    @Path("/{iid}/changes")
    public Map<String, Object> changes(@PathParam("id") String id, @PathParam("iid") long iid) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        return diffs.changes(mergeRequests.get(project, iid));
    }

    @GET
    @Path("/{iid}/diffs")
    public Response diffs(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        return Paging.page(diffs.mergeRequestDiffs(mergeRequests.get(project, iid)), views::diff, uri);
    }
}
