package io.tandem.sim.rest;

import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.MemberService;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Members of a project; {@code members/all} adds what is inherited from the group and its ancestors
 * (the highest level wins). Managed by Maintainers.
 */
@Path("/api/v4/projects/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ProjectMemberResource {

    private final MemberService members;
    private final AccessPolicy access;
    private final SimStore store;
    private final Caller caller;
    private final MemberPages pages;

    public ProjectMemberResource(MemberService members, AccessPolicy access, SimStore store, Caller caller,
            MemberPages pages) {
        this.members = members;
        this.access = access;
        this.store = store;
        this.caller = caller;
        this.pages = pages;
    }

    @GET
    public Response projectMembers(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        return pages.page(project.members.values(), uri);
    }

    @GET
    @Path("/all")
    public Response allProjectMembers(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.readableProject(caller.user(), id);
        Map<Long, Member> all = new LinkedHashMap<>();
        access.groupChain(project.namespaceId)
                .forEach(g -> MemberPages.mergeHighest(all, store.groupMembers(g.id).values()));
        MemberPages.mergeHighest(all, project.members.values());
        return pages.page(all.values(), uri);
    }

    @GET
    @Path("/{userId}")
    public Map<String, Object> projectMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Project project = access.readableProject(caller.user(), id);
        Member member = project.members.get(userId);
        if (member == null) {
            throw ApiError.notFound("Member");
        }
        return pages.json(member);
    }

    @GET
    @Path("/all/{userId}")
    public Map<String, Object> inheritedProjectMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Project project = access.readableProject(caller.user(), id);
        return pages.json(access.inheritedProjectMember(userId, project).orElseThrow(() -> ApiError.notFound("Member")));
    }

    @POST
    public Response addProjectMember(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        List<Member> added = members.add(project.members, caller.user(),
                access.effectiveProjectLevel(caller.user(), project), Requests.params(uri, headers, body));
        return Response.status(201).entity(pages.json(added.get(0))).build();
    }

    @PUT
    @Path("/{userId}")
    public Map<String, Object> updateProjectMember(@PathParam("id") String id, @PathParam("userId") long userId,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.project(caller.user(), id, AccessLevels.MAINTAINER);
        return pages.json(members.update(project.members, caller.user(), access.effectiveProjectLevel(caller.user(), project),
                userId, Requests.params(uri, headers, body)));
    }

    @DELETE
    @Path("/{userId}")
    public Response removeProjectMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Project project = access.readableProject(caller.user(), id);
        if (userId != caller.user().id) {
            access.require(caller.user(), project, AccessLevels.MAINTAINER);
        }
        members.remove(project.members, userId);
        return Response.noContent().build();
    }
}
