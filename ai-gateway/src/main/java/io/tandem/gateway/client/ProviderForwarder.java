package io.tandem.gateway.client;

import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.service.GatewayRefusal;
import io.tandem.gateway.service.Provider;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends a checked request on to the provider with the organisation's key instead of the run's token, and
 * streams the answer back chunk by chunk with back-pressure: status, headers (Retry-After included) and body as
 * the provider sent them.
 */
@ApplicationScoped
public class ProviderForwarder {

    /** Hop-by-hop headers (RFC 9110 7.6.1), every header that can carry the caller's credential, and cookies. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "authorization", "x-api-key", "api-key", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "openai-organization", "openai-project",
            // The body is already read: a 100-continue handshake with the provider would only stall it.
            "expect",
            // The gateway reads the answer's usage: it asks for it uncompressed.
            "accept-encoding");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie");
    private static final String TANDEM_HEADERS = "x-tandem-";

    private final HttpClient client;
    private final Map<Provider, GatewayConfig.Upstream> upstreams = new EnumMap<>(Provider.class);

    public ProviderForwarder(Vertx vertx, GatewayConfig config) {
        upstreams.put(Provider.ANTHROPIC, config.gateway().anthropic());
        upstreams.put(Provider.OPENAI, config.gateway().openai());
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256).setKeepAlive(true)
                .setConnectTimeout((int) config.gateway().connectTimeout().toMillis())
                .setIdleTimeout((int) config.gateway().idleTimeout().toSeconds())
                .setDecompressionSupported(false));
    }

    /**
     * Forwards {@code in} (paused; its body already read into {@code body}, or null for none) to
     * {@code pathAndQuery} under the provider's base URL. Completes with the provider's status once its answer
     * has been streamed to the caller; fails with a 502 {@link GatewayRefusal} if the provider cannot be reached.
     *
     * @param key the organisation's key for the provider
     */
    public Future<Integer> forward(HttpServerRequest in, Provider provider, String pathAndQuery, Buffer body,
            String key, ResponseObserver observer) {
        String base = upstreams.get(provider).url().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(base + pathAndQuery);
        Future<HttpClientResponse> answer = client.request(options).compose(out -> {
            copyRequestHeaders(in.headers(), out);
            if (provider == Provider.ANTHROPIC) {
                out.putHeader("x-api-key", key);
            } else {
                out.putHeader("Authorization", "Bearer " + key);
            }
            return body == null ? out.send() : out.send(body);
        });
        return answer.recover(failure -> Future.failedFuture(new GatewayRefusal(
                GatewayRefusal.Kind.UPSTREAM_UNREACHABLE, "the Tandem AI gateway could not reach " + provider.id())))
                .compose(response -> relay(in, response, observer));
    }

    private static Future<Integer> relay(HttpServerRequest in, HttpClientResponse answer, ResponseObserver observer) {
        HttpServerResponse response = in.response();
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        answer.headers().forEach(header -> {
            if (!NOT_RETURNED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(header.getKey(), header.getValue());
            }
        });
        if (!answer.headers().contains("Content-Length") && !"HEAD".equals(in.method().name())) {
            response.setChunked(true);
        }
        observer.head(answer.statusCode(), answer.getHeader("Content-Type"));
        return response.send(new ObservedReadStream(answer, observer))
                // The caller went away mid-answer: drop the provider's connection instead of leaving it paused.
                .onFailure(failure -> answer.request().reset())
                .map(done -> answer.statusCode());
    }

    private static void copyRequestHeaders(MultiMap headers, HttpClientRequest out) {
        headers.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith(TANDEM_HEADERS)) {
                out.headers().add(header.getKey(), header.getValue());
            }
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
