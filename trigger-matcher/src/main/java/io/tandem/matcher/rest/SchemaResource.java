package io.tandem.matcher.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The published JSON Schema of agent definitions (also at docs/schema/ in the repository), public: editors
 * and CI jobs validate definitions with it before they reach Tandem.
 */
@Path("/api/v1/schema/agent-definition")
public class SchemaResource {

    static final String RESOURCE = "/schema/agent-definition.schema.json";

    private final byte[] schema;

    public SchemaResource() {
        try (InputStream in = SchemaResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            schema = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces("application/schema+json")
    public byte[] get() {
        return schema;
    }
}
