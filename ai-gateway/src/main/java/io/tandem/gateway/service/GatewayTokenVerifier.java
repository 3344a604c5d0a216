package io.tandem.gateway.service;

import io.tandem.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Checks a run's gateway token without a call per request: RS256 by one of identity-service's published keys
 * (by {@code kid}), issuer, audience {@code tandem-ai-gateway}, expiry, and the claims the gateway relies on.
 * Says nothing about whether the run still goes on ({@link EndedRuns} does).
 */
@ApplicationScoped
public class GatewayTokenVerifier {

    public static final String AUDIENCE = "tandem-ai-gateway";
    private static final int CLOCK_SKEW_SECONDS = 30;
    /** Reads the header only, to find the key; nothing of it is trusted before the signature is checked. */
    private static final JwtConsumer HEADER_READER = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final SigningKeys keys;
    private final String issuer;

    public GatewayTokenVerifier(SigningKeys keys, GatewayConfig config) {
        this.keys = keys;
        this.issuer = config.gateway().issuer();
    }

    /** Fails with a 401 {@link GatewayRefusal} for anything but a valid gateway token. */
    public Future<GatewayClaims> verify(String token) {
        String kid;
        try {
            kid = keyId(token);
        } catch (GatewayRefusal refusal) {
            return Future.failedFuture(refusal);
        }
        return keys.find(kid).map(key -> {
            if (key == null) {
                throw GatewayRefusal.unauthorized("the token is not signed by a key Tandem publishes");
            }
            return claims(token, key);
        });
    }

    private GatewayClaims claims(String token, PublicKey key) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKey(key)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(AUDIENCE)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            if (!(claims.getClaimValue("act") instanceof Map<?, ?> act) || !(act.get("sub") instanceof String user)) {
                throw GatewayRefusal.unauthorized("the token names no human in act");
            }
            String runId = claims.getStringClaimValue("run_id");
            if (runId == null || runId.isBlank()) {
                throw GatewayRefusal.unauthorized("the token names no run");
            }
            if (!(claims.getClaimValue("models") instanceof Map<?, ?> models)) {
                throw GatewayRefusal.unauthorized("the token carries no model allow-list");
            }
            return new GatewayClaims(runId, claims.getSubject(), user, number(act.get("uid")),
                    number(claims.getClaimValue("project_id")), claims.getStringClaimValue("project_path"),
                    number(claims.getClaimValue("group_id")), number(claims.getClaimValue("agent_id")),
                    claims.getStringClaimValue("agent"), modelLists(models),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException e) {
            // jose4j's messages quote the token: only say which kind of check failed.
            throw GatewayRefusal.unauthorized(e.hasExpired() ? "the token has expired"
                    : "the token is not valid here (signature, issuer, audience or claims)");
        } catch (MalformedClaimException e) {
            throw GatewayRefusal.unauthorized("the token has a malformed claim");
        }
    }

    private static Map<String, List<String>> modelLists(Map<?, ?> models) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        models.forEach((provider, names) -> {
            List<String> allowed = new ArrayList<>();
            if (names instanceof List<?> list) {
                list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(allowed::add);
            }
            lists.put(String.valueOf(provider), List.copyOf(allowed));
        });
        return lists;
    }

    private static Long number(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    private static String keyId(String token) {
        try {
            JwtContext context = HEADER_READER.process(token);
            String kid = context.getJoseObjects().isEmpty() ? null : context.getJoseObjects().get(0).getKeyIdHeaderValue();
            if (kid == null) {
                throw GatewayRefusal.unauthorized("the token names no signing key");
            }
            return kid;
        } catch (InvalidJwtException e) {
            throw GatewayRefusal.unauthorized("the token is not a gateway token");
        }
    }
}
