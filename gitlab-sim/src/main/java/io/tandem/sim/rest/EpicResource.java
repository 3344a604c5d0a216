package io.tandem.sim.rest;

import io.tandem.sim.repository.Epic;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Note;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.EpicService;
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
import java.util.Map;

/**
 * Group epics (GitLab's legacy epics API) and their notes. Epics are addressed by iid; their notes, as in
 * GitLab's notes API, by the epic's id.
 */
@Path("/api/v4/groups/{id}/epics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class EpicResource {

    private final EpicService epics;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;

    public EpicResource(EpicService epics, AccessPolicy access, Caller caller, EntityViews views) {
        this.epics = epics;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    @POST
    public Response create(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = access.readableGroup(caller.user(), id);
        Epic epic = epics.create(caller.user(), group, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.epic(epic)).build();
    }

    @GET
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        return Paging.page(epics.list(group, Requests.query(uri)), views::epic, uri);
    }

    @GET
    @Path("/{epicIid}")
    public Map<String, Object> get(@PathParam("id") String id, @PathParam("epicIid") long epicIid) {
        Group group = access.readableGroup(caller.user(), id);
        return views.epic(epics.byIid(group, epicIid));
    }

    @POST
    @Path("/{epicId}/notes")
    public Response comment(@PathParam("id") String id, @PathParam("epicId") long epicId, @Context UriInfo uri,
            @Context HttpHeaders headers, String body) {
        Group group = access.readableGroup(caller.user(), id);
        Note note = epics.comment(caller.user(), group, epics.byId(group, epicId), Requests.params(uri, headers, body));
        return Response.status(201).entity(views.note(note)).build();
    }

    @GET
    @Path("/{epicId}/notes")
    public Response comments(@PathParam("id") String id, @PathParam("epicId") long epicId, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        return Paging.page(epics.comments(epics.byId(group, epicId), Requests.query(uri)), views::note, uri);
    }

    @GET
    @Path("/{epicId}/notes/{noteId}")
    public Map<String, Object> getComment(@PathParam("id") String id, @PathParam("epicId") long epicId,
            @PathParam("noteId") long noteId) {
        Group group = access.readableGroup(caller.user(), id);
        return views.note(epics.findComment(epics.byId(group, epicId), noteId));
    }

    @PUT
    @Path("/{epicId}/notes/{noteId}")
    public Map<String, Object> updateComment(@PathParam("id") String id, @PathParam("epicId") long epicId,
            @PathParam("noteId") long noteId, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = access.readableGroup(caller.user(), id);
        Epic epic = epics.byId(group, epicId);
        Note note = epics.findComment(epic, noteId);
        return views.note(epics.updateComment(caller.user(), group, epic, note, Requests.params(uri, headers, body)));
    }

    @DELETE
    @Path("/{epicId}/notes/{noteId}")
    public Response deleteComment(@PathParam("id") String id, @PathParam("epicId") long epicId,
            @PathParam("noteId") long noteId) {
        Group group = access.readableGroup(caller.user(), id);
        epics.deleteComment(caller.user(), group, epics.findComment(epics.byId(group, epicId), noteId));
        return Response.noContent().build();
    }
}
