package io.tandem.publisher.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditLog;
import io.tandem.publisher.service.AuditQuery;
import io.tandem.publisher.service.AuditQuery.InvalidAuditQuery;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * {@code GET /api/v1/audit}: the audit log, oldest first, a page at a time; {@code GET /api/v1/audit/export}:
 * all of it that matches, as JSON lines.
 */
@Path("/api/v1/audit")
public class AuditResource {

    public static final String NEXT_CURSOR_HEADER = "X-Next-Cursor";

    /** The body of a 400 answer. */
    public record Problem(String error) {
    }

    /** The filters, taken as text so that a malformed one is a 400 with a reason, not JAX-RS's bare 404. */
    public static class Filters {
        @QueryParam("projectId")
        String projectId;
        @QueryParam("since")
        String since;
        @QueryParam("until")
        String until;
        @QueryParam("limit")
        String limit;
        @QueryParam("invocationId")
        String invocationId;
        @QueryParam("type")
        String type;
        @QueryParam("actor")
        String actor;
        @QueryParam("cursor")
        String cursor;

        AuditQuery parse() {
            return AuditQuery.parse(new AuditQuery.Raw(projectId, since, until, limit, invocationId, type, actor,
                    cursor));
        }
    }

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** A full page carries the cursor of the next one; a shorter page is the last. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<List<AuditEvent>>> list(@BeanParam Filters filters, @Context UriInfo uri) {
        AuditQuery query = filters.parse();
        return auditLog.search(query).map(page -> {
            RestResponse.ResponseBuilder<List<AuditEvent>> answer = RestResponse.ResponseBuilder.ok(page);
            if (page.size() == query.limit()) {
                String next = AuditLog.cursorOf(page.get(page.size() - 1)).encode();
                URI nextPage = uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build();
                answer.header(NEXT_CURSOR_HEADER, next).header("Link", "<" + nextPage + ">; rel=\"next\"");
            }
            return answer.build();
        });
    }

    /** The same filters; {@code limit} does not apply: every matching event is streamed, one JSON object a line. */
    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<AuditEvent> export(@BeanParam Filters filters) {
        return auditLog.export(filters.parse());
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidAuditQuery e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(e.getMessage())).build();
    }
}
