package io.tandem.identity.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.service.JsonWebKeySet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Public: the keys that verify run tokens, for the GitLab proxy and anyone else checking them. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final JsonWebKeySet keySet;

    public JwksResource(JsonWebKeySet keySet) {
        this.keySet = keySet;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> jwks() {
        return keySet.current();
    }
}
