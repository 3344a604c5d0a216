package io.tandem.ingest.service;

import io.smallrye.mutiny.Uni;
import io.tandem.ingest.config.TandemConfig;
import io.tandem.ingest.messaging.GitlabEventPublisher;
import io.tandem.ingest.service.WebhookMetrics.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One webhook delivery: authenticate, normalise, publish the record and its audit event, and report the outcome
 * only once both are acknowledged by the broker.
 */
@ApplicationScoped
public class WebhookIngestService {

    private static final Logger LOG = Logger.getLogger(WebhookIngestService.class);

    private final WebhookTokenVerifier tokenVerifier;
    private final GitlabEventNormalizer normalizer;
    private final GitlabEventPublisher publisher;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final Duration publishTimeout;

    public WebhookIngestService(WebhookTokenVerifier tokenVerifier, GitlabEventNormalizer normalizer,
            GitlabEventPublisher publisher, WebhookMetrics metrics, Clock clock, TandemConfig config) {
        this.tokenVerifier = tokenVerifier;
        this.normalizer = normalizer;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.publishTimeout = config.webhook().publishTimeout();
    }

    /** The token is checked before the body is looked at. */
    public Uni<IngestResult> ingest(String token, Delivery delivery, byte[] body) {
        if (!tokenVerifier.matches(token)) {
            metrics.rejected(Rejection.UNAUTHORIZED);
            LOG.warnf("rejected webhook %s: missing or wrong X-Gitlab-Token", describe(delivery));
            return Uni.createFrom().item(new IngestResult.Unauthorized());
        }
        Normalized normalized;
        try {
            normalized = normalizer.normalize(body, delivery);
        } catch (MalformedWebhookException e) {
            metrics.rejected(Rejection.MALFORMED);
            LOG.infof("rejected webhook %s: %s", describe(delivery), e.getMessage());
            return Uni.createFrom().item(new IngestResult.Malformed(e.getMessage()));
        }
        if (normalized instanceof Normalized.Ignored ignored) {
            metrics.rejected(Rejection.IGNORED);
            LOG.debugf("ignored webhook %s: %s", describe(delivery), ignored.reason());
            return Uni.createFrom().item(new IngestResult.Ignored(ignored.reason()));
        }
        return publish((Normalized.Publishable) normalized, delivery);
    }

    /**
     * The audit event is awaited like the record: an accepted webhook without its audit trail would be a gap
     * nobody notices. If either is not acknowledged GitLab retries the delivery, and the repeat carries the same
     * event ids, which consumers drop.
     */
    private Uni<IngestResult> publish(Normalized.Publishable event, Delivery delivery) {
        var audit = WebhookAudit.accepted(event, delivery, clock.instant());
        return Uni.combine().all()
                .unis(publisher.publish(event.record(), event.key(), delivery), publisher.publishAudit(audit))
                .discardItems()
                .ifNoItem().after(publishTimeout).fail()
                .map(ignored -> {
                    metrics.accepted(event.kind());
                    // DEBUG: every accepted webhook is in the audit log and counted; a line each at intake rates
                    // (thousands a second) cost CPU on the event loop for no one to read
                    LOG.debugf("accepted webhook %s as %s %s, key %s", describe(delivery), event.kind(),
                            event.eventId(), event.key());
                    return (IngestResult) new IngestResult.Accepted(event.eventId());
                })
                .onFailure().recoverWithItem(failure -> {
                    metrics.rejected(Rejection.UNAVAILABLE);
                    LOG.warnf("could not publish webhook %s (%s %s): %s", describe(delivery), event.kind(),
                            event.eventId(), failure.toString());
                    return new IngestResult.Unavailable();
                });
    }

    /** Header values only: never the token or the body. */
    private static String describe(Delivery delivery) {
        return "[" + delivery.gitlabEvent() + ", delivery " + delivery.deliveryId() + "]";
    }
}
