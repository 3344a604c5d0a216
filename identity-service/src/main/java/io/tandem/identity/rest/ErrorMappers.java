package io.tandem.identity.rest;

import io.tandem.identity.client.GitlabCallException;
import io.tandem.identity.service.InvocationNotAuthorizedException;
import io.tandem.identity.service.UnknownInvocationException;
import io.tandem.identity.service.UnknownServiceAccountException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Domain failures as HTTP answers with a {@code message}; none of the messages carries a secret. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response unknownServiceAccount(UnknownServiceAccountException e) {
        return answer(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownInvocation(UnknownInvocationException e) {
        return answer(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response denied(InvocationNotAuthorizedException e) {
        return answer(Response.Status.FORBIDDEN, e.getMessage());
    }

    @ServerExceptionMapper
    public Response gitlab(GitlabCallException e) {
        if (e.status() == Response.Status.NOT_FOUND.getStatusCode()) {
            return answer(Response.Status.NOT_FOUND, e.getMessage());
        }
        LOG.warn(e.getMessage());
        return answer(Response.Status.BAD_GATEWAY, e.getMessage());
    }

    static Response answer(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
