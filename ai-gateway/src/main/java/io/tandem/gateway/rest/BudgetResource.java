package io.tandem.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.service.BudgetService;
import io.tandem.gateway.service.BudgetService.Status;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Daily token budgets ({@code /internal/v1/budgets/{project|group|user}/{id}}) and the check a launcher makes
 * before it starts a run ({@code /internal/v1/budget-checks}). Behind {@code X-Tandem-Internal-Token}.
 */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BudgetResource {

    private final BudgetService budgets;

    public BudgetResource(BudgetService budgets) {
        this.budgets = budgets;
    }

    /** @param dailyTokens input plus output tokens per UTC day */
    public record BudgetRequest(Long dailyTokens) {
    }

    public record BudgetView(String scope, long id, long dailyTokens, long usedTokensToday) {

        static BudgetView of(Status status) {
            return new BudgetView(status.scope(), status.id(), status.dailyTokens(), status.usedTokens());
        }
    }

    /** @param reason why a run may not start, for the thread; null when it may */
    public record BudgetCheck(boolean allowed, String reason, List<BudgetView> budgets) {
    }

    @PUT
    @Path("/budgets/{scope}/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BudgetView> set(String scope, long id, BudgetRequest request) {
        requireScope(scope);
        if (request == null || request.dailyTokens() == null || request.dailyTokens() < 0) {
            throw new BadRequestException(answer(Response.Status.BAD_REQUEST, "dailyTokens (0 or more) is required"));
        }
        return budgets.set(scope, id, request.dailyTokens()).chain(() -> budgets.status(scope, id)).map(BudgetView::of);
    }

    @GET
    @Path("/budgets/{scope}/{id}")
    public Uni<BudgetView> get(String scope, long id) {
        requireScope(scope);
        return budgets.status(scope, id).map(status -> {
            if (status == null) {
                throw new NotFoundException(answer(Response.Status.NOT_FOUND, "no budget for " + scope + " " + id));
            }
            return BudgetView.of(status);
        });
    }

    @DELETE
    @Path("/budgets/{scope}/{id}")
    public Uni<Response> remove(String scope, long id) {
        requireScope(scope);
        return budgets.remove(scope, id).map(removed -> Response.noContent().build());
    }

    @GET
    @Path("/budget-checks")
    public Uni<BudgetCheck> check(@QueryParam("projectId") Long projectId, @QueryParam("groupId") Long groupId,
            @QueryParam("userId") Long userId) {
        return budgets.statuses(projectId, groupId, userId).map(statuses -> {
            String reason = BudgetService.refusalReason(statuses);
            return new BudgetCheck(reason == null, reason, statuses.stream().map(BudgetView::of).toList());
        });
    }

    private static void requireScope(String scope) {
        if (!BudgetService.SCOPES.contains(scope)) {
            throw new NotFoundException(answer(Response.Status.NOT_FOUND, "budgets exist for project, group or user"));
        }
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
