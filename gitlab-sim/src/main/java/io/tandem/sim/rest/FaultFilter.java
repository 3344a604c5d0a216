package io.tandem.sim.rest;

import io.tandem.sim.service.FaultInjector;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Fails {@code /api/v4} calls that match a fault registered through {@code /-/sim/faults}, before
 * authentication and routing, the way GitLab's rate limiter or a sick backend would.
 */
public class FaultFilter {

    private final FaultInjector faults;

    public FaultFilter(FaultInjector faults) {
        this.faults = faults;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public Optional<Response> inject(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        if (!path.startsWith("/api/v4")) {
            return Optional.empty();
        }
        return faults.take(context.getMethod(), path).map(fault -> {
            Response.ResponseBuilder response = Response.status(fault.status).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", fault.status == 429 ? "429 Too Many Requests"
                            : fault.status + " " + reason(fault.status)));
            if (fault.status == 429 || fault.retryAfterSeconds != null) {
                response.header("Retry-After", fault.retryAfterSeconds == null ? 1 : fault.retryAfterSeconds);
            }
            return response.build();
        });
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Server Error" : known.getReasonPhrase();
    }
}
