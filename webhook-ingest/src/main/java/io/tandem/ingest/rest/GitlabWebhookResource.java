package io.tandem.ingest.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.ingest.service.Delivery;
import io.tandem.ingest.service.IngestResult;
import io.tandem.ingest.service.WebhookIngestService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * GitLab's project and group webhooks. Bodies above {@code quarkus.http.limits.max-body-size} never get here:
 * Quarkus answers 413 itself. Any content type is taken, so that a wrong one is a 400 with a reason, not a 415.
 */
@Path(GitlabWebhookResource.PATH)
public class GitlabWebhookResource {

    public static final String PATH = "/webhooks/gitlab";

    private final WebhookIngestService ingest;

    public GitlabWebhookResource(WebhookIngestService ingest) {
        this.ingest = ingest;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<WebhookReply>> receive(@RestHeader("X-Gitlab-Token") String token,
            @RestHeader("X-Gitlab-Event") String gitlabEvent,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestHeader("X-Gitlab-Event-UUID") String gitlabEventUuid,
            byte[] body) {
        Delivery delivery = Delivery.of(gitlabEvent, idempotencyKey, gitlabEventUuid, body);
        return ingest.ingest(token, delivery, body).map(GitlabWebhookResource::reply);
    }

    private static RestResponse<WebhookReply> reply(IngestResult result) {
        if (result instanceof IngestResult.Accepted accepted) {
            return RestResponse.status(Status.ACCEPTED, WebhookReply.accepted(accepted.eventId()));
        }
        if (result instanceof IngestResult.Ignored ignored) {
            return RestResponse.ok(WebhookReply.ignored(ignored.reason()));
        }
        if (result instanceof IngestResult.Malformed malformed) {
            return RestResponse.status(Status.BAD_REQUEST, WebhookReply.error(malformed.reason()));
        }
        if (result instanceof IngestResult.Unauthorized) {
            return RestResponse.status(Status.UNAUTHORIZED, WebhookReply.error("missing or wrong X-Gitlab-Token"));
        }
        return RestResponse.status(Status.SERVICE_UNAVAILABLE,
                WebhookReply.error("the event could not be stored, retry later"));
    }
}
