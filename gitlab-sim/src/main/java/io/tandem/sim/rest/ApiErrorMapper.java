package io.tandem.sim.rest;

import io.tandem.sim.service.ApiError;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns errors into GitLab's JSON error bodies. */
public class ApiErrorMapper {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @ServerExceptionMapper
    public Response apiError(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error.body()).build();
    }

    @ServerExceptionMapper
    public Response unknownRoute(NotFoundException e) {
        return Response.status(404).type(MediaType.APPLICATION_JSON).entity(Map.of("error", "404 Not Found")).build();
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", status + " " + e.getResponse().getStatusInfo().getReasonPhrase())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", "500 Internal Server Error")).build();
    }
}
