package io.tandem.gateway.rest;

import io.tandem.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Everything under {@code /internal/} is for Tandem's own services and operators: they prove it with the shared token. */
public class InternalTokenFilter {

    public static final String HEADER = "X-Tandem-Internal-Token";

    private final byte[] expectedDigest;

    public InternalTokenFilter(GatewayConfig config) {
        this.expectedDigest = sha256(config.internalToken());
    }

    // Before matching: an unauthenticated caller learns nothing, not even which paths or media types exist.
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireInternalToken(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(HEADER);
        // Digests have one length whatever was sent, so the comparison takes the same time for every guess.
        if (presented != null && MessageDigest.isEqual(sha256(presented), expectedDigest)) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", "missing or wrong " + HEADER)).build());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
