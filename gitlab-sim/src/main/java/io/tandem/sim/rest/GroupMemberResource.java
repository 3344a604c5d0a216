package io.tandem.sim.rest;

import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Member;
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
 * Members of a group; {@code members/all} adds what is inherited from ancestor groups. Managed by Owners.
 */
@Path("/api/v4/groups/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class GroupMemberResource {

    private final MemberService members;
    private final AccessPolicy access;
    private final SimStore store;
    private final Caller caller;
    private final MemberPages pages;

    public GroupMemberResource(MemberService members, AccessPolicy access, SimStore store, Caller caller,
            MemberPages pages) {
        this.members = members;
        this.access = access;
        this.store = store;
        this.caller = caller;
        this.pages = pages;
    }

    @GET
    public Response groupMembers(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        return pages.page(store.groupMembers(group.id).values(), uri);
    }

    @GET
    @Path("/all")
    public Response allGroupMembers(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = access.readableGroup(caller.user(), id);
        Map<Long, Member> all = new LinkedHashMap<>();
        access.groupChain(group.id)
                .forEach(g -> MemberPages.mergeHighest(all, store.groupMembers(g.id).values()));
        return pages.page(all.values(), uri);
    }

    @GET
    @Path("/{userId}")
    public Map<String, Object> groupMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Group group = access.readableGroup(caller.user(), id);
        Member member = store.groupMembers(group.id).get(userId);
        if (member == null) {
            throw ApiError.notFound("Member");
        }
        return pages.json(member);
    }

    @GET
    @Path("/all/{userId}")
    public Map<String, Object> inheritedGroupMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Group group = access.readableGroup(caller.user(), id);
        return pages.json(access.inheritedGroupMember(userId, group.id).orElseThrow(() -> ApiError.notFound("Member")));
    }

    @POST
    public Response addGroupMember(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        List<Member> added = members.add(store.groupMembers(group.id), caller.user(),
                access.groupAccess(caller.user().id, group), Requests.params(uri, headers, body));
        return Response.status(201).entity(pages.json(added.get(0))).build();
    }

    @PUT
    @Path("/{userId}")
    public Map<String, Object> updateGroupMember(@PathParam("id") String id, @PathParam("userId") long userId,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        return pages.json(members.update(store.groupMembers(group.id), caller.user(),
                access.groupAccess(caller.user().id, group), userId, Requests.params(uri, headers, body)));
    }

    @DELETE
    @Path("/{userId}")
    public Response removeGroupMember(@PathParam("id") String id, @PathParam("userId") long userId) {
        Group group = userId == caller.user().id ? access.readableGroup(caller.user(), id)
                : access.group(caller.user(), id, AccessLevels.OWNER);
        members.remove(store.groupMembers(group.id), userId);
        return Response.noContent().build();
    }
}
