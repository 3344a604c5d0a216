package io.tandem.identity.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.messaging.AuditPublisher;
import io.tandem.identity.repository.InvocationDecisionEntity;
import io.tandem.identity.repository.InvocationDecisionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints the run token of an authorized invocation: a short-lived JWT naming the service account as subject and
 * the human it acts for as {@code act} (RFC 8693), limited to the run's project and branch.
 */
@ApplicationScoped
public class RunTokenIssuer {

    public static final String AUDIENCE = "tandem-gitlab-proxy";

    private final InvocationDecisionRepository decisions;
    private final SigningKeyManager signingKeys;
    private final AuditPublisher audit;
    private final MeterRegistry metrics;
    private final TandemConfig.Identity config;
    private final ObjectMapper json;

    public RunTokenIssuer(InvocationDecisionRepository decisions, SigningKeyManager signingKeys, AuditPublisher audit,
            MeterRegistry metrics, TandemConfig config, ObjectMapper json) {
        this.json = json;
        this.decisions = decisions;
        this.signingKeys = signingKeys;
        this.audit = audit;
        this.metrics = metrics;
        this.config = config.identity();
    }

    public Uni<RunToken> issue(String invocationId) {
        return decisions.findByInvocationId(invocationId)
                .onItem().ifNull().failWith(() -> new UnknownInvocationException(invocationId))
                .flatMap(decision -> {
                    if (!decision.allowed) {
                        return Uni.createFrom().failure(new InvocationNotAuthorizedException(invocationId));
                    }
                    Instant mintedAt = Instant.now();
                    Minted minted = sign(decision);
                    metrics.counter("tandem.identity.run_tokens").increment();
                    // the audit time is the real one: the token's iat has whole seconds only, which would put
                    // this step before the steps that caused it in a timeline sorted by time
                    return audit.publish(EventIds.derive("audit", "run-token.minted", minted.jti()), mintedAt,
                            invocationId, "run-token.minted", decision.projectId, invocationId,
                            decision.requesterUsername, decision.serviceAccountUsername,
                            Map.of("jti", minted.jti(), "kid", minted.kid(), "expiresAt", minted.token().expiresAt().toString()))
                            .replaceWith(minted.token());
                });
    }

    private Minted sign(InvocationDecisionEntity decision) {
        SigningKeyManager.ActiveKey key = signingKeys.active();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(config.runTokenTtl());
        String jti = UUID.randomUUID().toString();
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", decision.requesterUsername);
        actor.put("uid", decision.requesterId);
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(decision.serviceAccountUsername)
                .audience(AUDIENCE)
                .claim("act", actor)
                .claim("run_id", decision.invocationId)
                .claim("branches", branches(decision))
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("jti", jti);
        // An epic invocation not placed in a project has none: such a token opens no repository.
        if (decision.projectId != null) {
            claims.claim("project_id", decision.projectId);
        }
        if (decision.projectPath != null) {
            claims.claim("project_path", decision.projectPath);
        }
        String token = claims.jws()
                .keyId(key.kid())
                .algorithm(SignatureAlgorithm.RS256)
                .sign(key.privateKey());
        return new Minted(new RunToken(token, expiresAt), jti, key.kid());
    }

    /**
     * The run's own {@code workloads/} branch, and in a merge request thread its source branch, which the agent
     * is asked to change; never the default branch.
     */
    private List<String> branches(InvocationDecisionEntity decision) {
        List<String> branches = new ArrayList<>(List.of("workloads/" + decision.invocationId));
        try {
            JsonNode invocation = decision.invocationJson == null ? null : json.readTree(decision.invocationJson);
            String source = invocation == null ? null : invocation.path("sourceBranch").asText(null);
            String defaultBranch = invocation == null ? null : invocation.path("defaultBranch").asText(null);
            if (source != null && !source.isBlank() && !source.equals(defaultBranch)) {
                branches.add(source);
            }
        } catch (IOException e) {
            // Only the workloads branch, then: a narrower token, never a wider one.
        }
        return branches;
    }

    /** The token is a bearer secret: never log it. */
    public record RunToken(String token, Instant expiresAt) {

        @Override
        public String toString() {
            return "RunToken[expiresAt=" + expiresAt + "]";
        }
    }

    private record Minted(RunToken token, String jti, String kid) {
    }
}
