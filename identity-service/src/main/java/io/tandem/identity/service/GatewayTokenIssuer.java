package io.tandem.identity.service;

import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.repository.InvocationDecisionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Signs the AI gateway token of a run ({@code AI_FLOW_AI_GATEWAY_TOKEN}): the same two identities and the same
 * expiry as the run token, but for another door ({@code aud} {@value #AUDIENCE}), so neither token is accepted
 * where the other is. It carries the model allow-list at mint time, so the gateway needs no call per request.
 */
@ApplicationScoped
public class GatewayTokenIssuer {

    public static final String AUDIENCE = "tandem-ai-gateway";
    public static final String RUN_ID_HEADER = "X-Tandem-Run-Id";
    public static final String PROJECT_ID_HEADER = "X-Tandem-Project-Id";

    private final TandemConfig.Identity config;

    public GatewayTokenIssuer(TandemConfig config) {
        this.config = config.identity();
    }

    /**
     * @param groupId the service account's top-level group, null if unknown (then no {@code group_id} claim)
     * @param issuedAt and {@code expiresAt}: the run token's, so both end together
     */
    public GatewayToken sign(SigningKeyManager.ActiveKey key, InvocationDecisionEntity decision, Long groupId,
            long agentId, String agentName, Instant issuedAt, Instant expiresAt) {
        String jti = UUID.randomUUID().toString();
        JwtClaimsBuilder claims = RunBoundClaims.of(config.issuer(), AUDIENCE, decision, jti, issuedAt, expiresAt)
                .claim("agent_id", agentId)
                .claim("models", models());
        if (agentName != null) {
            claims.claim("agent", agentName);
        }
        if (groupId != null) {
            claims.claim("group_id", groupId);
        }
        return new GatewayToken(RunBoundClaims.sign(claims, key), headers(decision), jti, expiresAt);
    }

    /** {@code AI_FLOW_AI_GATEWAY_HEADERS}: {@code Key: Value} lines, as GitLab hands them to a job. */
    static String headers(InvocationDecisionEntity decision) {
        String headers = RUN_ID_HEADER + ": " + decision.invocationId;
        return decision.projectId == null ? headers : headers + "\n" + PROJECT_ID_HEADER + ": " + decision.projectId;
    }

    private JsonObject models() {
        TandemConfig.GatewayModels models = config.gatewayModels();
        return Json.createObjectBuilder()
                .add("anthropic", array(models.anthropic()))
                .add("openai", array(models.openai()))
                .build();
    }

    private static JsonArrayBuilder array(List<String> names) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        names.stream().map(String::trim).filter(name -> !name.isEmpty()).forEach(array::add);
        return array;
    }

    /** The token is a bearer secret: never log it. */
    public record GatewayToken(String token, String headers, String jti, Instant expiresAt) {

        @Override
        public String toString() {
            return "GatewayToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
        }
    }
}
