package io.tandem.sim.rest;

import io.tandem.sim.repository.AccessToken;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Users and their personal access tokens. */
@Path("/api/v4")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class UserResource {

    private final UserService users;
    private final SimStore store;
    private final Caller caller;
    private final EntityViews views;

    public UserResource(UserService users, SimStore store, Caller caller, EntityViews views) {
        this.users = users;
        this.store = store;
        this.caller = caller;
        this.views = views;
    }

    @GET
    @Path("/version")
    public Map<String, Object> version() {
        return Map.of("version", "18.5.0", "revision", "tandem-sim", "enterprise", false);
    }

    @GET
    @Path("/user")
    public Map<String, Object> current() {
        return views.user(caller.user(), caller.user());
    }

    @GET
    @Path("/users")
    public Response list(@Context UriInfo uri) {
        ApiParams params = Requests.query(uri);
        String username = params.string("username");
        String search = params.string("search");
        Boolean humans = params.bool("humans");
        List<User> result = SimStore.sorted(store.users.values(), u -> (username == null || u.username.equalsIgnoreCase(username))
                && (search == null || u.username.toLowerCase().contains(search.toLowerCase())
                        || u.name.toLowerCase().contains(search.toLowerCase())
                        || (caller.admin() && u.email.equalsIgnoreCase(search)))
                && (humans == null || !humans || !u.bot),
                Comparator.comparingLong((User u) -> u.id).reversed());
        return Paging.page(result, u -> caller.admin() ? views.user(u, caller.user()) : views.userBasic(u), uri);
    }

    @GET
    @Path("/users/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return views.user(user(id), caller.user());
    }

    @POST
    @Path("/users")
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        requireAdmin();
        User user = users.create(Requests.params(uri, headers, body));
        return Response.status(201).entity(views.user(user, caller.user())).build();
    }

    @DELETE
    @Path("/users/{id}")
    public Response delete(@PathParam("id") String id) {
        requireAdmin();
        users.delete(user(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/users/{id}/personal_access_tokens")
    public Response createToken(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        requireAdmin();
        AccessToken token = users.createToken(user(id), Requests.params(uri, headers, body));
        return Response.status(201).entity(views.token(token, true)).build();
    }

    @GET
    @Path("/personal_access_tokens/self")
    public Map<String, Object> selfToken(@Context HttpHeaders headers, @Context UriInfo uri) {
        return views.token(currentToken(headers, uri), false);
    }

    @GET
    @Path("/personal_access_tokens")
    public Response tokens(@Context UriInfo uri) {
        ApiParams params = Requests.query(uri);
        Long userId = params.longValue("user_id");
        long owner = userId != null && caller.admin() ? userId : caller.user().id;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String state = params.string("state");
        List<AccessToken> tokens = SimStore.sorted(store.tokens.values(), t -> t.userId == owner
                && (state == null || ("active".equals(state) == t.active(today))),
                Comparator.comparingLong(t -> t.id));
        return Paging.page(tokens, t -> views.token(t, false), uri);
    }

    @DELETE
    @Path("/personal_access_tokens/{tokenId}")
    public Response revoke(@PathParam("tokenId") long tokenId) {
        AccessToken token = store.tokens.get(tokenId);
        if (token == null || (token.userId != caller.user().id && !caller.admin())) {
            throw ApiError.notFound();
        }
        token.revoked = true;
        return Response.noContent().build();
    }

    private AccessToken currentToken(HttpHeaders headers, UriInfo uri) {
        String value = headers.getHeaderString("PRIVATE-TOKEN");
        if (value == null) {
            String authorization = headers.getHeaderString("Authorization");
            value = authorization == null ? uri.getQueryParameters().getFirst("private_token") : authorization.substring(7).trim();
        }
        String token = value;
        return store.tokens.values().stream().filter(t -> t.token.equals(token)).findFirst()
                .orElseThrow(ApiError::unauthorized);
    }

    private User user(String id) {
        try {
            return users.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return store.userByUsername(id).orElseThrow(() -> ApiError.notFound("User"));
        }
    }

    private void requireAdmin() {
        if (!caller.admin()) {
            throw ApiError.forbidden();
        }
    }
}
