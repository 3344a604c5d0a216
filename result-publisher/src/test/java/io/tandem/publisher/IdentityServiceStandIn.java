package io.tandem.publisher;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for identity-service's token endpoint, served by the application under test itself. The tokens it
 * hands out are real personal access tokens minted in the GitLab simulator.
 */
@Path("/internal/v1/service-accounts")
public class IdentityServiceStandIn {

    static final String INTERNAL_TOKEN = "tandem-local-internal-token";
    static final Map<Long, String> TOKENS = new ConcurrentHashMap<>();
    static final AtomicInteger CALLS = new AtomicInteger();

    public record TokenBody(String token) {
    }

    @POST
    @Path("/{userId}/gitlab-token")
    @Produces(MediaType.APPLICATION_JSON)
    public Response gitlabToken(@PathParam("userId") long userId,
            @HeaderParam("X-Tandem-Internal-Token") String internalToken) {
        CALLS.incrementAndGet();
        if (!INTERNAL_TOKEN.equals(internalToken)) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        String token = TOKENS.get(userId);
        return token == null
                ? Response.status(Response.Status.NOT_FOUND).build()
                : Response.ok(new TokenBody(token)).build();
    }
}
