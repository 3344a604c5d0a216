package io.tandem.identity.service;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.tandem.identity.repository.InvocationDecisionEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claims every token bound to a run carries, whichever door it opens: the service account as subject, the
 * human in {@code act} (RFC 8693), the run, its project, and the lifetime; the caller adds what its door needs.
 */
final class RunBoundClaims {

    private RunBoundClaims() {
    }

    static JwtClaimsBuilder of(String issuer, String audience, InvocationDecisionEntity decision, String jti,
            Instant issuedAt, Instant expiresAt) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", decision.requesterUsername);
        actor.put("uid", decision.requesterId);
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(issuer)
                .subject(decision.serviceAccountUsername)
                .audience(audience)
                .claim("act", actor)
                .claim("run_id", decision.invocationId)
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .claim("jti", jti);
        // An epic invocation not placed in a project has none: such a token opens no repository.
        if (decision.projectId != null) {
            claims.claim("project_id", decision.projectId);
        }
        if (decision.projectPath != null) {
            claims.claim("project_path", decision.projectPath);
        }
        return claims;
    }

    static String sign(JwtClaimsBuilder claims, SigningKeyManager.ActiveKey key) {
        return claims.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256).sign(key.privateKey());
    }
}
