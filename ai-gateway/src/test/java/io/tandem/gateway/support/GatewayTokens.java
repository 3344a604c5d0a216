package io.tandem.gateway.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/** Gateway tokens as identity-service mints them (docs/services/ai-gateway.md), signed with the test key. */
public final class GatewayTokens {

    public static final long PROJECT_ID = 42;
    public static final long GROUP_ID = 12;
    public static final String USER = "alice";
    public static final String SERVICE_ACCOUNT = "ai-claude-code-acme";
    public static final List<String> ANTHROPIC_MODELS = List.of("claude-3-5-haiku-20241022",
            "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929");
    public static final List<String> OPENAI_MODELS = List.of("gpt-5", "gpt-5-codex");

    private GatewayTokens() {
    }

    public static String runId() {
        return UUID.randomUUID().toString();
    }

    public static String token(String runId) {
        return token(runId, claims -> { });
    }

    /** A token of the run, after {@code change} adjusted its claims. */
    public static String token(String runId, Consumer<JwtClaims> change) {
        return sign(claims(runId, change), StandInProviders.signingKey(), StandInProviders.KID);
    }

    public static JwtClaims claims(String runId, Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("tandem");
        claims.setAudience("tandem-ai-gateway");
        claims.setSubject(SERVICE_ACCOUNT);
        claims.setClaim("act", Map.of("sub", USER, "uid", 7));
        claims.setClaim("run_id", runId);
        claims.setClaim("project_id", PROJECT_ID);
        claims.setClaim("project_path", "acme/app");
        claims.setClaim("group_id", GROUP_ID);
        claims.setClaim("agent_id", 3);
        claims.setClaim("agent", "Claude Code");
        claims.setClaim("models", Map.of("anthropic", ANTHROPIC_MODELS, "openai", OPENAI_MODELS));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setGeneratedJwtId();
        change.accept(claims);
        return claims;
    }

    public static String sign(JwtClaims claims, RsaJsonWebKey key, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
