package io.tandem.gateway.rest;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.gateway.client.ProviderForwarder;
import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.messaging.AuditPublisher;
import io.tandem.gateway.service.AnswerMeter;
import io.tandem.gateway.service.BudgetService;
import io.tandem.gateway.service.GatewayClaims;
import io.tandem.gateway.service.GatewayMetrics;
import io.tandem.gateway.service.GatewayRefusal;
import io.tandem.gateway.service.ModelAllowLists;
import io.tandem.gateway.service.ModelPolicy;
import io.tandem.gateway.service.Provider;
import io.tandem.gateway.service.ProviderErrors;
import io.tandem.gateway.service.ProviderKeys;
import io.tandem.gateway.service.RunAuthorizer;
import io.tandem.gateway.service.UsageRecorder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The two front doors, mirroring GitLab's AI gateway paths: {@code /ai/v1/proxy/anthropic/...} and
 * {@code /ai/v1/proxy/openai/v1/...}. Each request is checked (token, run, model), then forwarded with the
 * organisation's key; the answer streams back as it comes, its usage counted on the way.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    /** Before Quarkus REST's routes, so that nothing else sees a proxied path. */
    private static final int ORDER = -100;
    private static final String RUN_ID_HEADER = "X-Tandem-Run-Id";

    private final Vertx vertx;
    private final RunAuthorizer authorizer;
    private final ModelPolicy models;
    private final ModelAllowLists allowLists;
    private final ProviderKeys providerKeys;
    private final ProviderForwarder forwarder;
    private final UsageRecorder usage;
    private final AuditPublisher audit;
    private final GatewayMetrics metrics;
    private final BudgetService budgets;
    private final int maxRequestBody;
    private final int maxUsageBody;

    public GatewayRoutes(Vertx vertx, RunAuthorizer authorizer, ModelPolicy models, ModelAllowLists allowLists,
            ProviderKeys providerKeys, ProviderForwarder forwarder, UsageRecorder usage, AuditPublisher audit,
            GatewayMetrics metrics, BudgetService budgets, GatewayConfig config) {
        this.vertx = vertx;
        this.authorizer = authorizer;
        this.models = models;
        this.allowLists = allowLists;
        this.providerKeys = providerKeys;
        this.forwarder = forwarder;
        this.usage = usage;
        this.audit = audit;
        this.metrics = metrics;
        this.budgets = budgets;
        this.maxRequestBody = config.gateway().maxRequestBody();
        this.maxUsageBody = config.gateway().maxUsageBody();
    }

    void register(@Observes Router router) {
        for (Provider provider : Provider.values()) {
            // "/*" also matches the prefix itself.
            router.route(provider.prefix() + "/*").order(ORDER).handler(routing -> handle(routing, provider));
        }
    }

    private void handle(RoutingContext routing, Provider provider) {
        HttpServerRequest request = routing.request();
        request.pause();
        long arrived = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String token = GatewayCredentials.from(request);
        String runIdHeader = request.getHeader(RUN_ID_HEADER);
        String query = request.query();
        String upstreamPath = request.path().substring(provider.prefix().length()) + (query == null ? "" : "?" + query);
        // Hibernate Reactive (the ended-run lookup, usage) needs a safe duplicated context of its own.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> authorizer.authorize(token, runIdHeader).onComplete(authorized -> {
            if (authorized.failed()) {
                refuse(request, provider, authorized.cause());
                return;
            }
            GatewayClaims run = authorized.result();
            MDC.put("runId", run.runId());
            proceed(request, provider, run, upstreamPath, requestId, arrived)
                    .onFailure(failure -> {
                        if (failure instanceof GatewayRefusal refusal && (refusal.kind() == GatewayRefusal.Kind.MODEL_NOT_ALLOWED
                                || refusal.kind() == GatewayRefusal.Kind.OVER_BUDGET)) {
                            auditRefusal(requestId, run, provider, refusal);
                        }
                        refuse(request, provider, failure);
                    });
        }));
    }

    private Future<Integer> proceed(HttpServerRequest request, Provider provider, GatewayClaims run,
            String upstreamPath, String requestId, long arrived) {
        Context context = Vertx.currentContext();
        return future(providerKeys.current(provider)).compose(key -> {
            if (!key.configured()) {
                return Future.failedFuture(new GatewayRefusal(GatewayRefusal.Kind.NOT_CONFIGURED,
                        "this Tandem AI gateway has no organisation key for " + provider.id()));
            }
            // Everything that may read a table first, on this safe context; the body's end comes on the request's.
            return future(budgets.requireTokensLeft(run)).compose(tokensLeft -> future(allowLists.listsFor(provider, run)))
                    .compose(scoped -> readBody(request).compose(body -> {
                        String model = models.check(provider, run, scoped, body);
                        AnswerMeter meter = new AnswerMeter(provider, arrived, maxUsageBody, metrics);
                        return forwarder.forward(request, provider, upstreamPath, body, key.key(), meter)
                                .onComplete(done -> recordUsage(context, meter, requestId, run, provider, model));
                    }));
        });
    }

    private void recordUsage(Context context, AnswerMeter meter, String requestId, GatewayClaims run,
            Provider provider, String model) {
        if (meter.status() == 0) {
            return;
        }
        meter.end();
        context.runOnContext(ignored -> usage.record(requestId, run, provider, model, meter.status(), meter.usage())
                .subscribe().with(recorded -> { }, failure -> LOG.warnf(
                        "usage of a %s request of run %s not recorded: %s", provider.id(), run.runId(), failure)));
    }

    private static <T> Future<T> future(Uni<T> uni) {
        Promise<T> promise = Promise.promise();
        uni.subscribe().with(promise::complete, promise::fail);
        return promise.future();
    }

    private void auditRefusal(String requestId, GatewayClaims run, Provider provider, GatewayRefusal refusal) {
        audit.publish(EventIds.derive("ai-gateway.refused", requestId), run.runId(), "ai-gateway.refused",
                run.projectId(), run.runId(), run.user(), run.serviceAccount(),
                Map.of("provider", provider.id(), "reason", refusal.getMessage()))
                .subscribe().with(sent -> { }, failure -> LOG.warnf("refusal of run %s not audited: %s", run.runId(), failure));
    }

    private void refuse(HttpServerRequest request, Provider provider, Throwable failure) {
        GatewayRefusal refusal;
        if (failure instanceof GatewayRefusal known) {
            refusal = known;
        } else {
            // Never the exception's message: it could name a URL or a header.
            LOG.warnf("gateway request %s %s failed: %s", request.method(), request.path(), failure.getClass().getName());
            refusal = new GatewayRefusal(GatewayRefusal.Kind.UPSTREAM_UNREACHABLE,
                    "the Tandem AI gateway could not complete the request");
        }
        if (request.response().headWritten()) {
            // The answer is under way: cut it, so the client sees an error rather than a truncated success.
            request.response().reset();
            return;
        }
        metrics.request(provider, refusal.kind().name().toLowerCase(Locale.ROOT));
        // Drain an unread body so the connection can be reused; a request read to its end cannot be resumed.
        if (!request.isEnded()) {
            request.resume();
        }
        request.response().setStatusCode(refusal.status()).putHeader("Content-Type", "application/json")
                .end(ProviderErrors.body(provider, refusal));
    }

    /** The whole body (JSON requests are small), up to the configured size; null for a request without one. */
    private Future<Buffer> readBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        boolean hasBody = (length != null && !"0".equals(length.trim())) || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            request.resume();
            return Future.succeededFuture(null);
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // The checks passed: let a client that waits for it (curl with a large body) send the body now.
            request.response().writeContinue();
        }
        Promise<Buffer> whole = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxRequestBody) {
                request.handler(null);
                whole.tryFail(new GatewayRefusal(GatewayRefusal.Kind.TOO_LARGE,
                        "the request body is larger than the Tandem AI gateway's limit of " + maxRequestBody + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(whole::tryFail);
        request.endHandler(ignored -> whole.tryComplete(body));
        request.resume();
        return whole.future();
    }
}
