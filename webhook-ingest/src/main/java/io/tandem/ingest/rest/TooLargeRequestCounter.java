package io.tandem.ingest.rest;

import io.tandem.ingest.service.WebhookMetrics;
import io.tandem.ingest.service.WebhookMetrics.Rejection;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts the 413s Quarkus sends for bodies above {@code quarkus.http.limits.max-body-size}: those requests never
 * reach the resource, so the count is taken from the response on its way out.
 */
@ApplicationScoped
public class TooLargeRequestCounter {

    private static final int PAYLOAD_TOO_LARGE = 413;

    private final WebhookMetrics metrics;

    public TooLargeRequestCounter(WebhookMetrics metrics) {
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        router.route(GitlabWebhookResource.PATH).order(Integer.MIN_VALUE).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == PAYLOAD_TOO_LARGE) {
                    metrics.rejected(Rejection.TOO_LARGE);
                }
            });
            context.next();
        });
    }
}
