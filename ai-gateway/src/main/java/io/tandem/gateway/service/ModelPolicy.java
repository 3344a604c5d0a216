package io.tandem.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.gateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;

/**
 * The model allow-list: a request's {@code model} must be in its token's list for the provider (the run's, fixed
 * at mint time), in this instance's list, and in its group's and its agent's lists where those are set.
 */
@ApplicationScoped
public class ModelPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayConfig.Models instanceModels;

    public ModelPolicy(GatewayConfig config) {
        this.instanceModels = config.gateway().models();
    }

    /**
     * The requested model, or null for a call that names none (listing models, fetching a stored response).
     * A body that is not a JSON object is refused: the gateway forwards only what it can check.
     */
    public String check(Provider provider, GatewayClaims run, List<ModelAllowLists.ScopedList> scoped, Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw new GatewayRefusal(GatewayRefusal.Kind.BAD_REQUEST, "the Tandem AI gateway forwards JSON bodies only");
        }
        if (request == null || !request.isObject()) {
            throw new GatewayRefusal(GatewayRefusal.Kind.BAD_REQUEST, "the Tandem AI gateway forwards JSON objects only");
        }
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            return null;
        }
        if (!model.isTextual()) {
            throw new GatewayRefusal(GatewayRefusal.Kind.BAD_REQUEST, "model must be a string");
        }
        String name = model.asText();
        List<String> allowed = allowed(provider, run, scoped);
        if (!allowed.contains(name)) {
            throw new GatewayRefusal(GatewayRefusal.Kind.MODEL_NOT_ALLOWED, "The model " + name
                    + " is not allowed for this run by the Tandem AI gateway. Allowed models: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
        }
        return name;
    }

    /** The models every list allows, in the instance's order. */
    public List<String> allowed(Provider provider, GatewayClaims run, List<ModelAllowLists.ScopedList> scoped) {
        List<String> instance = provider == Provider.ANTHROPIC ? instanceModels.anthropic() : instanceModels.openai();
        List<String> token = provider.modelsIn(run.models());
        return instance.stream().filter(token::contains)
                .filter(model -> scoped.stream().allMatch(list -> list.models().contains(model))).toList();
    }
}
