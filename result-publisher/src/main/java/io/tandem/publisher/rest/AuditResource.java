package io.tandem.publisher.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditLog;
import io.tandem.publisher.service.AuditQuery;
import io.tandem.publisher.service.AuditQuery.InvalidAuditQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@code GET /api/v1/audit}: the audit log, oldest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** The body of a 400 answer. */
    public record Problem(String error) {
    }

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GET
    public Uni<List<AuditEvent>> list(@QueryParam("projectId") String projectId, @QueryParam("since") String since,
            @QueryParam("limit") String limit, @QueryParam("invocationId") String invocationId,
            @QueryParam("type") String type) {
        // Parameters are taken as text so that a malformed one is a 400 with a reason, not JAX-RS's bare 404.
        return auditLog.search(AuditQuery.parse(projectId, since, limit, invocationId, type));
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidAuditQuery e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(e.getMessage())).build();
    }
}
