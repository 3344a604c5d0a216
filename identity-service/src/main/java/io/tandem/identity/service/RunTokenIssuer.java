package io.tandem.identity.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.messaging.AuditPublisher;
import io.tandem.identity.repository.InvocationDecisionEntity;
import io.tandem.identity.repository.InvocationDecisionRepository;
import io.tandem.identity.repository.ServiceAccountRepository;
import io.tandem.identity.service.GatewayTokenIssuer.GatewayToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints the run token of an authorized invocation: a short-lived JWT naming the service account as subject and
 * the human it acts for as {@code act} (RFC 8693), limited to the run's project and branch. When the agent's
 * definition asks for managed model credentials ({@code injectGatewayToken}), the run's AI gateway token is
 * minted with it, signed by the same key and ending at the same time.
 */
@ApplicationScoped
public class RunTokenIssuer {

    public static final String AUDIENCE = "tandem-gitlab-proxy";

    private final InvocationDecisionRepository decisions;
    private final ServiceAccountRepository serviceAccounts;
    private final GatewayTokenIssuer gatewayTokens;
    private final SigningKeyManager signingKeys;
    private final AuditPublisher audit;
    private final MeterRegistry metrics;
    private final TandemConfig.Identity config;
    private final ObjectMapper json;

    public RunTokenIssuer(InvocationDecisionRepository decisions, ServiceAccountRepository serviceAccounts,
            GatewayTokenIssuer gatewayTokens, SigningKeyManager signingKeys, AuditPublisher audit,
            MeterRegistry metrics, TandemConfig config, ObjectMapper json) {
        this.json = json;
        this.decisions = decisions;
        this.serviceAccounts = serviceAccounts;
        this.gatewayTokens = gatewayTokens;
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
                    JsonNode invocation = invocation(decision);
                    if (!invocation.path("definition").path("injectGatewayToken").asBoolean(false)) {
                        return mint(decision, invocation, false, null);
                    }
                    return groupOf(decision).flatMap(groupId -> mint(decision, invocation, true, groupId));
                });
    }

    /** @param groupId the service account's group, for the gateway token; null if unknown */
    private Uni<RunToken> mint(InvocationDecisionEntity decision, JsonNode invocation, boolean withGateway,
            Long groupId) {
        Instant mintedAt = Instant.now();
        SigningKeyManager.ActiveKey key = signingKeys.active();
        Instant now = mintedAt.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(config.runTokenTtl());
        Minted minted = sign(key, decision, invocation, now, expiresAt);
        GatewayToken gateway = !withGateway ? null
                : gatewayTokens.sign(key, decision, groupId, invocation.path("agentId").asLong(),
                        invocation.path("agentName").asText(null), now, expiresAt);
        metrics.counter("tandem.identity.run_tokens").increment();
        // the audit time is the real one: the token's iat has whole seconds only, which would put
        // this step before the steps that caused it in a timeline sorted by time
        Uni<Void> audited = audit.publish(EventIds.derive("audit", "run-token.minted", minted.jti()), mintedAt,
                decision.invocationId, "run-token.minted", decision.projectId, decision.invocationId,
                decision.requesterUsername, decision.serviceAccountUsername,
                Map.of("jti", minted.jti(), "kid", minted.kid(), "expiresAt", expiresAt.toString()));
        if (gateway != null) {
            metrics.counter("tandem.identity.gateway_tokens").increment();
            audited = audited.chain(() -> audit.publish(
                    EventIds.derive("audit", "gateway-token.minted", gateway.jti()), mintedAt,
                    decision.invocationId, "gateway-token.minted", decision.projectId, decision.invocationId,
                    decision.requesterUsername, decision.serviceAccountUsername,
                    Map.of("jti", gateway.jti(), "kid", key.kid(), "expiresAt", expiresAt.toString(),
                            "runId", decision.invocationId)));
        }
        return audited.replaceWith(new RunToken(minted.token(), expiresAt, gateway));
    }

    /**
     * The service account's top-level group: from its row (where Tandem created it), else the group the decision
     * was taken in; null if neither is known.
     */
    private Uni<Long> groupOf(InvocationDecisionEntity decision) {
        if (decision.serviceAccountId == null) {
            return Uni.createFrom().item(decision.groupId);
        }
        return serviceAccounts.findByUserId(decision.serviceAccountId)
                .map(account -> account != null ? Long.valueOf(account.groupId) : decision.groupId);
    }

    /** The {@code Invocation} the decision was taken for; an empty node if it cannot be read. */
    private JsonNode invocation(InvocationDecisionEntity decision) {
        try {
            JsonNode invocation = decision.invocationJson == null ? null : json.readTree(decision.invocationJson);
            return invocation == null ? json.createObjectNode() : invocation;
        } catch (IOException e) {
            // Read as empty: only the workloads branch and no gateway token, a narrower grant, never a wider one.
            return json.createObjectNode();
        }
    }

    private Minted sign(SigningKeyManager.ActiveKey key, InvocationDecisionEntity decision, JsonNode invocation,
            Instant now, Instant expiresAt) {
        String jti = UUID.randomUUID().toString();
        JwtClaimsBuilder claims = RunBoundClaims.of(config.issuer(), AUDIENCE, decision, jti, now, expiresAt)
                .claim("branches", branches(decision, invocation));
        String token = RunBoundClaims.sign(claims, key);
        return new Minted(token, jti, key.kid());
    }

    /**
     * The run's own {@code workloads/} branch, and in a merge request thread its source branch, which the agent
     * is asked to change; never the default branch.
     */
    private static List<String> branches(InvocationDecisionEntity decision, JsonNode invocation) {
        List<String> branches = new ArrayList<>(List.of("workloads/" + decision.invocationId));
        String source = invocation.path("sourceBranch").asText(null);
        String defaultBranch = invocation.path("defaultBranch").asText(null);
        if (source != null && !source.isBlank() && !source.equals(defaultBranch)) {
            branches.add(source);
        }
        return branches;
    }

    /**
     * The tokens are bearer secrets: never log them.
     *
     * @param gateway the run's AI gateway token, null unless the definition asks for one
     */
    public record RunToken(String token, Instant expiresAt, GatewayToken gateway) {

        @Override
        public String toString() {
            return "RunToken[expiresAt=" + expiresAt + ", gateway=" + gateway + "]";
        }
    }

    private record Minted(String token, String jti, String kid) {
    }
}
