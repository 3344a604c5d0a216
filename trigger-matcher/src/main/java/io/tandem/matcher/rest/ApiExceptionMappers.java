package io.tandem.matcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tandem.matcher.service.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into {@code {"error": ...}} answers; unexpected ones are logged, not shown. */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return error(400, "the request body is not valid JSON for this endpoint");
    }

    /** Two concurrent requests raced past the pre-check into a unique constraint. */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        return error(409, "a conflicting change was made at the same time; retry");
    }

    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return error(status, status == 404 ? "not found" : Response.Status.fromStatusCode(status) == null
                ? "request failed" : Response.Status.fromStatusCode(status).getReasonPhrase());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("admin API request failed", e);
        return error(500, "internal error");
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message)).build();
    }
}
