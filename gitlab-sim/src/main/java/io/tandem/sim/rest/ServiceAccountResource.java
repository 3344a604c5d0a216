package io.tandem.sim.rest;

import io.tandem.sim.repository.AccessToken;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.ApiParams;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.UserService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * GitLab's group service accounts (Premium API, absent from gitlab4j-api): bot users owned by a top-level
 * group, managed by its Owners or an admin, with their own personal access tokens.
 */
@Path("/api/v4/groups/{id}/service_accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ServiceAccountResource {

    private final UserService users;
    private final AccessPolicy access;
    private final SimStore store;
    private final Caller caller;
    private final EntityViews views;
    private final SecureRandom random = new SecureRandom();

    public ServiceAccountResource(UserService users, AccessPolicy access, SimStore store, Caller caller,
            EntityViews views) {
        this.users = users;
        this.access = access;
        this.store = store;
        this.caller = caller;
        this.views = views;
    }

    @POST
    public Response create(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = ownedTopLevelGroup(id);
        ApiParams params = Requests.params(uri, headers, body);
        String suffix = HexFormat.of().formatHex(new byte[] {(byte) random.nextInt(), (byte) random.nextInt(),
                (byte) random.nextInt(), (byte) random.nextInt()});
        String username = params.string("username", "service_account_group_" + group.id + "_" + suffix);
        String name = params.string("name", "Service account user");
        String email = params.string("email", username + "@noreply.example.com");
        User user = users.createServiceAccount(group.id, name, username, email);
        return Response.status(201).entity(json(user)).build();
    }

    @GET
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        Group group = ownedTopLevelGroup(id);
        List<User> accounts = SimStore.sorted(store.users.values(),
                u -> u.serviceAccountGroupId != null && u.serviceAccountGroupId == group.id,
                Comparator.comparingLong(u -> u.id));
        return Paging.page(accounts, this::json, uri);
    }

    @DELETE
    @Path("/{userId}")
    public Response delete(@PathParam("id") String id, @PathParam("userId") long userId) {
        Group group = ownedTopLevelGroup(id);
        users.delete(account(group, userId));
        return Response.noContent().build();
    }

    @POST
    @Path("/{userId}/personal_access_tokens")
    public Response createToken(@PathParam("id") String id, @PathParam("userId") long userId, @Context UriInfo uri,
            @Context HttpHeaders headers, String body) {
        Group group = ownedTopLevelGroup(id);
        AccessToken token = users.createToken(account(group, userId), Requests.params(uri, headers, body));
        return Response.status(201).entity(views.token(token, true)).build();
    }

    @GET
    @Path("/{userId}/personal_access_tokens")
    public Response tokens(@PathParam("id") String id, @PathParam("userId") long userId, @Context UriInfo uri) {
        Group group = ownedTopLevelGroup(id);
        User account = account(group, userId);
        List<AccessToken> tokens = SimStore.sorted(store.tokens.values(), t -> t.userId == account.id,
                Comparator.comparingLong(t -> t.id));
        return Paging.page(tokens, t -> views.token(t, false), uri);
    }

    @POST
    @Path("/{userId}/personal_access_tokens/{tokenId}/rotate")
    public Response rotate(@PathParam("id") String id, @PathParam("userId") long userId,
            @PathParam("tokenId") long tokenId, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Group group = ownedTopLevelGroup(id);
        User account = account(group, userId);
        AccessToken rotated = users.rotate(users.token(account.id, tokenId),
                Requests.params(uri, headers, body).date("expires_at"));
        return Response.ok(views.token(rotated, true)).build();
    }

    @DELETE
    @Path("/{userId}/personal_access_tokens/{tokenId}")
    public Response revoke(@PathParam("id") String id, @PathParam("userId") long userId,
            @PathParam("tokenId") long tokenId) {
        Group group = ownedTopLevelGroup(id);
        users.token(account(group, userId).id, tokenId).revoked = true;
        return Response.noContent().build();
    }

    private Map<String, Object> json(User user) {
        Map<String, Object> json = views.userBasic(user);
        json.put("email", user.email);
        json.put("bot", true);
        json.put("public_email", null);
        return json;
    }

    private Group ownedTopLevelGroup(String id) {
        Group group = access.group(caller.user(), id, AccessLevels.OWNER);
        if (group.parentId != null) {
            throw ApiError.badRequest("Group must be a top-level group");
        }
        return group;
    }

    private User account(Group group, long userId) {
        User user = store.user(userId).orElseThrow(() -> ApiError.notFound("User"));
        if (user.serviceAccountGroupId == null || user.serviceAccountGroupId != group.id) {
            throw ApiError.notFound("User");
        }
        return user;
    }
}
