package io.tandem.launcher.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.launcher.client.AiGatewayClient;
import io.tandem.launcher.client.IdentityServiceClient.RunTokenResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Base64;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A run on the organisation's model keys starts only within the daily token budgets of its project, group and
 * requester, which ai-gateway keeps: over budget, it is refused before its pipeline exists, with the gateway's
 * reason, rather than failing at its first model call.
 */
@ApplicationScoped
public class BudgetGate {

    private final AiGatewayClient gateway;
    private final ObjectMapper json;

    public BudgetGate(@RestClient AiGatewayClient gateway, ObjectMapper json) {
        this.gateway = gateway;
        this.json = json;
    }

    /** Fails with {@link RunRefusedException} when a budget is used up; nothing to check for other runs. */
    public Uni<Void> check(Invocation invocation, RunTokenResponse run) {
        if (invocation.definition() == null || !invocation.definition().injectGatewayToken() || run.gateway() == null) {
            return Uni.createFrom().voidItem();
        }
        Long userId = invocation.requester() == null ? null : invocation.requester().id();
        return gateway.budgetCheck(invocation.projectId(), groupId(run.gateway().token()), userId)
                .invoke(answer -> {
                    if (!answer.allowed()) {
                        throw new RunRefusedException(answer.reason() == null || answer.reason().isBlank()
                                ? "The run's AI token budget for today is used up." : answer.reason());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The service account's group, as identity-service wrote it into the gateway token (the invocation names the
     * thread's namespace, not the top-level group budgets are kept for). The token is identity-service's own answer
     * to this service, so its payload is read without verifying the signature: only the gateway trusts it.
     */
    private Long groupId(String gatewayToken) {
        String[] parts = gatewayToken == null ? new String[0] : gatewayToken.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.hasNonNull("group_id") ? claims.get("group_id").asLong() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
