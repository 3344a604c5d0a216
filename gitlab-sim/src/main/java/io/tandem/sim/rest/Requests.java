package io.tandem.sim.rest;

import io.tandem.sim.service.ApiParams;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

/** Builds the parameters of a call from its query string and body (JSON or form), as Grape does. */
final class Requests {

    private Requests() {
    }

    static ApiParams params(UriInfo uri, HttpHeaders headers, String body) {
        return ApiParams.of(uri.getQueryParameters(), headers == null ? null : headers.getHeaderString("Content-Type"),
                body);
    }

    static ApiParams query(UriInfo uri) {
        return ApiParams.of(uri.getQueryParameters(), null, null);
    }
}
