package io.tandem.identity.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.repository.SigningKeyEntity;
import io.tandem.identity.repository.SigningKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Checks a run token: RS256 signature by one of Tandem's published keys (found by {@code kid}), issuer,
 * audience, expiry and the claims the proxy relies on. Says nothing about whether the run is still going.
 */
@ApplicationScoped
public class RunTokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 30;

    private final SigningKeyRepository keys;
    private final SigningKeyManager signingKeys;
    private final ObjectMapper json;
    private final String issuer;
    private final Map<String, PublicKey> knownKeys = new ConcurrentHashMap<>();

    public RunTokenVerifier(SigningKeyRepository keys, SigningKeyManager signingKeys, ObjectMapper json,
            TandemConfig config) {
        this.keys = keys;
        this.signingKeys = signingKeys;
        this.json = json;
        this.issuer = config.identity().issuer();
    }

    /** Fails with a 401 {@link ProxyRefusal} for anything but a valid run token. */
    public Uni<RunClaims> verify(String token) {
        String kid = keyId(token);
        PublicKey known = knownKeys.get(kid);
        // A kid this replica has not seen may be another replica's new active key: sign with it too from now on.
        Uni<PublicKey> key = known != null ? Uni.createFrom().item(known) : reloadKeys()
                .call(loaded -> loaded.containsKey(kid) ? signingKeys.reloadActive() : Uni.createFrom().voidItem())
                .map(loaded -> loaded.get(kid));
        return key.map(publicKey -> {
            if (publicKey == null) {
                throw ProxyRefusal.unauthorized("the run token is not signed by a key Tandem publishes");
            }
            return claims(token, publicKey);
        });
    }

    /** Forgets retired keys and learns new ones; on a timer, so that a retired key is refused within its interval. */
    public Uni<Void> refresh() {
        return reloadKeys().replaceWithVoid();
    }

    /** Keys are few and rotate rarely: a token naming an unknown kid reloads them once. */
    private Uni<Map<String, PublicKey>> reloadKeys() {
        return keys.findPublished().map(published -> {
            Map<String, PublicKey> fresh = new ConcurrentHashMap<>();
            for (SigningKeyEntity key : published) {
                fresh.put(key.kid, SigningKeyManager.publicKey(key));
            }
            knownKeys.keySet().retainAll(fresh.keySet());
            knownKeys.putAll(fresh);
            return fresh;
        });
    }

    private RunClaims claims(String token, PublicKey key) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKey(key)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(RunTokenIssuer.AUDIENCE)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            Object actor = claims.getClaimValue("act");
            if (!(actor instanceof Map<?, ?> act) || !(act.get("sub") instanceof String humanUsername)) {
                throw ProxyRefusal.unauthorized("the run token names no human in act");
            }
            String runId = claims.getStringClaimValue("run_id");
            if (runId == null) {
                throw ProxyRefusal.unauthorized("the run token names no run");
            }
            List<String> branches = claims.hasClaim("branches") ? claims.getStringListClaimValue("branches") : List.of();
            return new RunClaims(runId, claims.getJwtId(), claims.getSubject(), humanUsername,
                    act.get("uid") instanceof Number uid ? uid.longValue() : null,
                    claims.hasClaim("project_id") ? claims.getClaimValue("project_id", Long.class) : null,
                    claims.getStringClaimValue("project_path"), new ArrayList<>(branches),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException e) {
            // jose4j's messages quote the token: only say which kind of check failed.
            throw ProxyRefusal.unauthorized(e.hasExpired() ? "the run token has expired"
                    : "the run token is not valid (signature, issuer, audience or claims)");
        } catch (MalformedClaimException e) {
            throw ProxyRefusal.unauthorized("the run token has a malformed claim");
        }
    }

    private String keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw ProxyRefusal.unauthorized("the token is not a run token");
        }
        try {
            JsonNode header = json.readTree(Base64.getUrlDecoder().decode(token.substring(0, dot)));
            String kid = header.path("kid").asText(null);
            if (kid == null) {
                throw ProxyRefusal.unauthorized("the run token names no signing key");
            }
            return kid;
        } catch (IOException | IllegalArgumentException e) {
            throw ProxyRefusal.unauthorized("the token is not a run token");
        }
    }
}
