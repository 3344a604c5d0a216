package io.tandem.sim.rest;

import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.Project;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.IssueService;
import io.tandem.sim.service.MergeRequestService;
import io.tandem.sim.service.NoteService;
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

/** Comments on issues and merge requests. */
@Path("/api/v4/projects/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class NoteResource {

    private final NoteService notes;
    private final IssueService issues;
    private final MergeRequestService mergeRequests;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;

    public NoteResource(NoteService notes, IssueService issues, MergeRequestService mergeRequests, AccessPolicy access,
            Caller caller, EntityViews views) {
        this.notes = notes;
        this.issues = issues;
        this.mergeRequests = mergeRequests;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    // ---- issues

    @POST
    @Path("/issues/{iid}/notes")
    public Response createIssueNote(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri,
            @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        Note note = notes.createOnIssue(caller.user(), project, issue, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.note(note)).build();
    }

    @GET
    @Path("/issues/{iid}/notes")
    public Response issueNotes(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        return Paging.page(notes.list(project, "Issue", issue.id, Requests.query(uri)), views::note, uri);
    }

    @GET
    @Path("/issues/{iid}/notes/{noteId}")
    public Map<String, Object> issueNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        return views.note(notes.get(project, "Issue", issue.id, noteId));
    }

    @PUT
    @Path("/issues/{iid}/notes/{noteId}")
    public Map<String, Object> updateIssueNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        Note note = notes.get(project, "Issue", issue.id, noteId);
        return views.note(notes.update(caller.user(), project, note, Requests.params(uri, headers, body)));
    }

    @DELETE
    @Path("/issues/{iid}/notes/{noteId}")
    public Response deleteIssueNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        notes.delete(caller.user(), project, notes.get(project, "Issue", issue.id, noteId));
        return Response.noContent().build();
    }

    // ---- merge requests

    @POST
    @Path("/merge_requests/{iid}/notes")
    public Response createMergeRequestNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        Note note = notes.createOnMergeRequest(caller.user(), project, mr, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.note(note)).build();
    }

    @GET
    @Path("/merge_requests/{iid}/notes")
    public Response mergeRequestNotes(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        return Paging.page(notes.list(project, "MergeRequest", mr.id, Requests.query(uri)), views::note, uri);
    }

    @GET
    @Path("/merge_requests/{iid}/notes/{noteId}")
    public Map<String, Object> mergeRequestNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        return views.note(notes.get(project, "MergeRequest", mr.id, noteId));
    }

    @PUT
    @Path("/merge_requests/{iid}/notes/{noteId}")
    public Map<String, Object> updateMergeRequestNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        Note note = notes.get(project, "MergeRequest", mr.id, noteId);
        return views.note(notes.update(caller.user(), project, note, Requests.params(uri, headers, body)));
    }

    @DELETE
    @Path("/merge_requests/{iid}/notes/{noteId}")
    public Response deleteMergeRequestNote(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("noteId") long noteId) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        notes.delete(caller.user(), project, notes.get(project, "MergeRequest", mr.id, noteId));
        return Response.noContent().build();
    }
}
