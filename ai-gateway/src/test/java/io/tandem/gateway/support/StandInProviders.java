package io.tandem.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/**
 * Stand-ins for the providers' APIs, built from their API references: Anthropic Messages
 * ({@code POST /anthropic/v1/messages}) and OpenAI Chat Completions and Responses
 * ({@code POST /openai/v1/chat/completions}, {@code POST /openai/v1/responses}), JSON or server-sent events when
 * the body asks for {@code stream}. They record what they received. Header {@code x-stand-in} picks a failure:
 * {@code 429} (with Retry-After), {@code 500}, {@code hangup}; {@code x-stand-in-hold: <id>} holds a stream after
 * its first event until {@link #release(String)}; {@code x-stand-in-events: <n>} makes an Anthropic stream of
 * {@code n} text deltas (the benchmark's). The same server publishes a JWKS for the test signing key.
 */
public class StandInProviders implements QuarkusTestResourceLifecycleManager {

    public static final String ANTHROPIC_ORG_KEY = "sk-ant-org-key-for-tests-4f1c";
    public static final String OPENAI_ORG_KEY = "sk-openai-org-key-for-tests-9b2e";
    public static final String KID = "gateway-test-key";
    /** An encryption key the app lists as retired (base64 of 32 bytes): rows it sealed must still open. */
    public static final String RETIRED_ENCRYPTION_KEY = "cmV0aXJlZC10YW5kZW0tdGVzdC1rZXktMzItYnl0ZXM=";

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final Map<String, Promise<Void>> HOLDS = new ConcurrentHashMap<>();
    private static final AtomicInteger JWKS_HITS = new AtomicInteger();
    private static RsaJsonWebKey signingKey;
    private static Vertx vertx;
    private static String baseUrl;

    @Override
    public Map<String, String> start() {
        try {
            signingKey = RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        signingKey.setKeyId(KID);
        vertx = Vertx.vertx();
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(StandInProviders::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the stand-in providers did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        baseUrl = base;
        return Map.of(
                "tandem.gateway.settings-cache-ttl", "300ms",
                "tandem.gateway.retired-encryption-keys", RETIRED_ENCRYPTION_KEY,
                "tandem.gateway.jwks-url", base + "/jwks.json",
                "tandem.gateway.anthropic.url", base + "/anthropic",
                "tandem.gateway.anthropic.api-key", ANTHROPIC_ORG_KEY,
                "tandem.gateway.openai.url", base + "/openai/v1",
                "tandem.gateway.openai.api-key", OPENAI_ORG_KEY,
                "tandem.gateway.ended-run-cache-ttl", "500ms");
    }

    @Override
    public void stop() {
        HOLDS.values().forEach(hold -> hold.tryComplete());
        if (vertx != null) {
            vertx.close();
        }
    }

    public static RsaJsonWebKey signingKey() {
        return signingKey;
    }

    /** Where the stand-ins listen: {@code <base>/anthropic/v1/messages} is the provider called directly. */
    public static String baseUrl() {
        return baseUrl;
    }

    public static int jwksHits() {
        return JWKS_HITS.get();
    }

    /** Everything received so far whose body or headers mention {@code marker}. */
    public static List<Received> receivedWith(String marker) {
        return RECEIVED.stream().filter(r -> r.body().contains(marker)
                || r.headers().entries().stream().anyMatch(h -> h.getValue().contains(marker))).toList();
    }

    /** Lets a held stream go on. */
    public static void release(String holdId) {
        HOLDS.computeIfAbsent(holdId, id -> Promise.promise()).tryComplete();
    }

    private static void handle(HttpServerRequest request) {
        if ("/jwks.json".equals(request.path())) {
            JWKS_HITS.incrementAndGet();
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"keys\":[" + signingKey.toJson() + "]}");
            return;
        }
        request.body().onSuccess(body -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
            RECEIVED.add(new Received(request.method().name(), request.uri(), headers, body.toString()));
            respond(request, body);
        });
    }

    private static void respond(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        String failure = request.getHeader("x-stand-in");
        boolean anthropic = request.path().startsWith("/anthropic/");
        if ("hangup".equals(failure)) {
            request.connection().close();
            return;
        }
        if ("429".equals(failure)) {
            response.setStatusCode(429).putHeader("Retry-After", "7").putHeader("Content-Type", "application/json")
                    .end(anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"
                            : "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        if ("500".equals(failure)) {
            response.setStatusCode(500).putHeader("Content-Type", "application/json")
                    .end(anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"
                            : "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            return;
        }
        JsonObject json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        boolean stream = json.getBoolean("stream", false);
        String model = json.getString("model", "unknown");
        String eventCount = request.getHeader("x-stand-in-events");
        List<String> events = eventCount != null ? ProviderAnswers.anthropicStream(model, Integer.parseInt(eventCount))
                : switch (request.path()) {
            case "/anthropic/v1/messages" -> stream ? ProviderAnswers.anthropicStream(model) : null;
            case "/openai/v1/chat/completions" -> stream ? ProviderAnswers.chatStream(model) : null;
            case "/openai/v1/responses" -> stream ? ProviderAnswers.responsesStream(model) : null;
            default -> null;
        };
        if (events == null) {
            String answer = switch (request.path()) {
                case "/anthropic/v1/messages" -> ProviderAnswers.anthropicJson(model);
                case "/openai/v1/chat/completions" -> ProviderAnswers.chatJson(model);
                case "/openai/v1/responses" -> ProviderAnswers.responsesJson(model);
                default -> null;
            };
            if (answer == null) {
                response.setStatusCode(404).end();
            } else {
                response.putHeader("Content-Type", "application/json").putHeader("request-id", "req_stand_in").end(answer);
            }
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        response.write(events.get(0));
        String holdId = request.getHeader("x-stand-in-hold");
        Promise<Void> hold = holdId == null ? null : HOLDS.computeIfAbsent(holdId, id -> Promise.promise());
        Runnable rest = () -> {
            events.subList(1, events.size()).forEach(response::write);
            response.end();
        };
        if (hold == null) {
            rest.run();
        } else {
            Vertx context = vertx;
            hold.future().onComplete(released -> context.runOnContext(ignored -> rest.run()));
        }
    }

    /** One request as the stand-in received it. */
    public record Received(String method, String uri, MultiMap headers, String body) {
    }
}
