package io.tandem.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.service.Provider;
import io.tandem.gateway.service.ProviderKeys;
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
import java.util.Locale;

/**
 * The organisation's provider keys: {@code /internal/v1/provider-keys/{provider}}. Behind
 * {@code X-Tandem-Internal-Token}. No answer ever carries a key, only its fingerprint.
 */
@Path("/internal/v1/provider-keys/{provider}")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderKeyResource {

    private final ProviderKeys keys;

    public ProviderKeyResource(ProviderKeys keys) {
        this.keys = keys;
    }

    public record KeyRequest(String apiKey) {

        @Override
        public String toString() {
            return "KeyRequest[apiKey=<hidden>]";
        }
    }

    /** @param source {@code api}, {@code configuration}, {@code removed} or {@code none} */
    public record KeyView(String provider, boolean configured, String source, String fingerprint) {

        static KeyView of(Provider provider, ProviderKeys.Current current) {
            return new KeyView(provider.id(), current.configured(),
                    current.source().name().toLowerCase(Locale.ROOT), current.fingerprint());
        }
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<KeyView> set(String provider, KeyRequest request) {
        Provider known = requireProvider(provider);
        if (request == null || request.apiKey() == null || request.apiKey().isBlank()
                || !request.apiKey().strip().equals(request.apiKey())) {
            throw new BadRequestException(ModelAllowListResource.answer(Response.Status.BAD_REQUEST,
                    "apiKey (without surrounding spaces) is required"));
        }
        return keys.set(known, request.apiKey()).map(current -> KeyView.of(known, current));
    }

    @GET
    public Uni<KeyView> get(String provider) {
        Provider known = requireProvider(provider);
        return keys.current(known).map(current -> KeyView.of(known, current));
    }

    /** The provider's front door answers 503 until a key is set again (the configuration's does not come back). */
    @DELETE
    public Uni<Response> remove(String provider) {
        Provider known = requireProvider(provider);
        return keys.remove(known).map(removed -> Response.noContent().build());
    }

    private static Provider requireProvider(String provider) {
        return Provider.byId(provider).orElseThrow(() -> new NotFoundException(ModelAllowListResource.answer(
                Response.Status.NOT_FOUND, "providers are anthropic and openai")));
    }
}
