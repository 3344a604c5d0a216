package io.tandem.identity.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.service.RunTokenIssuer;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * Run tokens, for pipeline-launcher: 404 for an invocation not decided yet, 403 for a denied one. The run's AI
 * gateway token comes with it ({@code gateway}) when the agent's definition asks for it, else {@code gateway} is
 * null.
 */
@Path("/internal/v1/invocations")
@Produces(MediaType.APPLICATION_JSON)
public class RunTokenResource {

    private final RunTokenIssuer issuer;

    public RunTokenResource(RunTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    @Path("/{invocationId}/run-token")
    public Uni<RunTokenView> runToken(String invocationId) {
        return issuer.issue(invocationId).map(token -> new RunTokenView(token.token(), token.expiresAt(),
                token.gateway() == null ? null
                        : new GatewayView(token.gateway().token(), token.gateway().headers())));
    }

    public record RunTokenView(String token, Instant expiresAt, GatewayView gateway) {

        @Override
        public String toString() {
            return "RunTokenView[expiresAt=" + expiresAt + ", gateway=" + gateway + "]";
        }
    }

    /** {@code AI_FLOW_AI_GATEWAY_TOKEN} and {@code AI_FLOW_AI_GATEWAY_HEADERS}. */
    public record GatewayView(String token, String headers) {

        @Override
        public String toString() {
            return "GatewayView[headers=" + headers + "]";
        }
    }
}
