package io.tandem.sim.rest;

import io.tandem.sim.service.FaultInjector;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/** Simulator-only: register, list and clear injected API failures. */
@Path("/-/sim/faults")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class FaultResource {

    private final FaultInjector faults;

    public FaultResource(FaultInjector faults) {
        this.faults = faults;
    }

    @POST
    public Response add(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        return Response.status(201).entity(FaultInjector.json(faults.add(Requests.params(uri, headers, body)))).build();
    }

    @GET
    public List<Map<String, Object>> list() {
        return faults.active().stream().map(FaultInjector::json).toList();
    }

    @DELETE
    public Response clear() {
        faults.clear();
        return Response.noContent().build();
    }
}
