package io.tandem.sim.rest;

import io.tandem.sim.repository.User;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.InstanceUrl;
import io.tandem.sim.service.UserService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates {@code /api/v4} calls by {@code PRIVATE-TOKEN}, {@code Authorization: Bearer} or the
 * {@code private_token}/{@code access_token} query parameters, as GitLab does; 401 otherwise.
 */
public class AuthFilter {

    private final UserService users;
    private final Caller caller;
    private final InstanceUrl instanceUrl;

    public AuthFilter(UserService users, Caller caller, InstanceUrl instanceUrl) {
        this.users = users;
        this.caller = caller;
        this.instanceUrl = instanceUrl;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext context, HttpServerRequest request) {
        String path = context.getUriInfo().getPath();
        if (request.authority() != null) {
            instanceUrl.offer(request.scheme() + "://" + request.authority());
        }
        if (!path.startsWith("/api/v4")) {
            return Optional.empty();
        }
        Optional<User> user = users.authenticate(token(context));
        if (user.isEmpty()) {
            return Optional.of(Response.status(401).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "401 Unauthorized")).build());
        }
        caller.set(user.get());
        return Optional.empty();
    }

    static String token(ContainerRequestContext context) {
        String token = context.getHeaderString("PRIVATE-TOKEN");
        if (token != null && !token.isBlank()) {
            return token;
        }
        String authorization = context.getHeaderString("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String query = context.getUriInfo().getQueryParameters().getFirst("private_token");
        if (query == null) {
            query = context.getUriInfo().getQueryParameters().getFirst("access_token");
        }
        return query;
    }
}
