package io.tandem.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.repository.ModelAllowListEntity;
import io.tandem.gateway.service.ModelAllowLists;
import io.tandem.gateway.service.Provider;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The model allow-lists of groups and agents: {@code /internal/v1/model-allow-lists/{group|agent}/{id}/{provider}}.
 * Behind {@code X-Tandem-Internal-Token}.
 */
@Path("/internal/v1/model-allow-lists/{scope}/{id}/{provider}")
@Produces(MediaType.APPLICATION_JSON)
public class ModelAllowListResource {

    private final ModelAllowLists lists;

    public ModelAllowListResource(ModelAllowLists lists) {
        this.lists = lists;
    }

    public record AllowListRequest(List<String> models) {
    }

    public record AllowListView(String scope, long id, String provider, List<String> models) {

        static AllowListView of(ModelAllowListEntity list) {
            return new AllowListView(list.scope, list.scopeId, list.provider, list.modelList());
        }
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AllowListView> set(String scope, long id, String provider, AllowListRequest request) {
        Provider known = requireTarget(scope, provider);
        if (request == null || request.models() == null) {
            throw badRequest("models (a list, empty to allow none) is required");
        }
        for (String model : request.models()) {
            if (model == null || model.isBlank() || model.contains(",") || !model.strip().equals(model)) {
                throw badRequest("a model name must be non-empty, without commas or surrounding spaces");
            }
        }
        List<String> models = request.models().stream().distinct().toList();
        return lists.set(scope, id, known, models).map(AllowListView::of);
    }

    @GET
    public Uni<AllowListView> get(String scope, long id, String provider) {
        Provider known = requireTarget(scope, provider);
        return lists.find(scope, id, known).map(list -> {
            if (list == null) {
                throw new NotFoundException(answer(Response.Status.NOT_FOUND,
                        "no " + provider + " allow-list for " + scope + " " + id));
            }
            return AllowListView.of(list);
        });
    }

    @DELETE
    public Uni<Response> remove(String scope, long id, String provider) {
        Provider known = requireTarget(scope, provider);
        return lists.remove(scope, id, known).map(removed -> Response.noContent().build());
    }

    private static Provider requireTarget(String scope, String provider) {
        if (!ModelAllowLists.SCOPES.contains(scope)) {
            throw new NotFoundException(answer(Response.Status.NOT_FOUND, "allow-lists exist for group or agent"));
        }
        return Provider.byId(provider).orElseThrow(() -> new NotFoundException(answer(Response.Status.NOT_FOUND,
                "providers are anthropic and openai")));
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(answer(Response.Status.BAD_REQUEST, message));
    }

    static Response answer(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
