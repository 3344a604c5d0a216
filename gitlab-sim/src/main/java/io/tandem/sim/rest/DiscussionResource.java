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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/** Threads on issues and merge requests (GitLab's Discussions API), including diff notes on merge requests. */
@Path("/api/v4/projects/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class DiscussionResource {

    private final NoteService notes;
    private final IssueService issues;
    private final MergeRequestService mergeRequests;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;

    public DiscussionResource(NoteService notes, IssueService issues, MergeRequestService mergeRequests,
            AccessPolicy access, Caller caller, EntityViews views) {
        this.notes = notes;
        this.issues = issues;
        this.mergeRequests = mergeRequests;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    // ---- issues

    @GET
    @Path("/issues/{iid}/discussions")
    public Response issueDiscussions(@PathParam("id") String id, @PathParam("iid") long iid, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        return Paging.page(notes.discussions(project, "Issue", issue.id), views::discussion, uri);
    }

    @GET
    @Path("/issues/{iid}/discussions/{discussionId}")
    public Map<String, Object> issueDiscussion(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("discussionId") String discussionId) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        return views.discussion(notes.discussion(project, "Issue", issue.id, discussionId));
    }

    @POST
    @Path("/issues/{iid}/discussions")
    public Response startIssueDiscussion(@PathParam("id") String id, @PathParam("iid") long iid,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        Note note = notes.startIssueDiscussion(caller.user(), project, issue, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.discussion(List.of(note))).build();
    }

    @POST
    @Path("/issues/{iid}/discussions/{discussionId}/notes")
    public Response replyOnIssue(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("discussionId") String discussionId, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.readableProject(caller.user(), id);
        Issue issue = issues.get(caller.user(), project, iid);
        Note note = notes.reply(caller.user(), project, "Issue", issue.id, issue.iid, discussionId,
                Requests.params(uri, headers, body));
        return Response.status(201).entity(views.note(note)).build();
    }

    // ---- merge requests

    @GET
    @Path("/merge_requests/{iid}/discussions")
    public Response mergeRequestDiscussions(@PathParam("id") String id, @PathParam("iid") long iid,
            @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        return Paging.page(notes.discussions(project, "MergeRequest", mr.id), views::discussion, uri);
    }

    @GET
    @Path("/merge_requests/{iid}/discussions/{discussionId}")
    public Map<String, Object> mergeRequestDiscussion(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("discussionId") String discussionId) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        return views.discussion(notes.discussion(project, "MergeRequest", mr.id, discussionId));
    }

    @POST
    @Path("/merge_requests/{iid}/discussions")
    public Response startMergeRequestDiscussion(@PathParam("id") String id, @PathParam("iid") long iid,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        Note note = notes.startMergeRequestDiscussion(caller.user(), project, mr, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.discussion(List.of(note))).build();
    }

    @POST
    @Path("/merge_requests/{iid}/discussions/{discussionId}/notes")
    public Response replyOnMergeRequest(@PathParam("id") String id, @PathParam("iid") long iid,
            @PathParam("discussionId") String discussionId, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.readableProject(caller.user(), id);
        MergeRequest mr = mergeRequests.get(project, iid);
        Note note = notes.reply(caller.user(), project, "MergeRequest", mr.id, mr.iid, discussionId,
                Requests.params(uri, headers, body));
        return Response.status(201).entity(views.note(note)).build();
    }
}
