package io.tandem.launcher.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** ai-gateway's internal API: whether a managed-credential run may start within its token budgets. */
@RegisterRestClient(configKey = "ai-gateway")
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Tandem-Internal-Token", value = "${tandem.internal-token}")
public interface AiGatewayClient {

    @GET
    @Path("/budget-checks")
    Uni<BudgetCheck> budgetCheck(@QueryParam("projectId") Long projectId, @QueryParam("groupId") Long groupId,
            @QueryParam("userId") Long userId);

    /** @param reason written for the thread when {@code allowed} is false */
    record BudgetCheck(boolean allowed, String reason) {
    }
}
