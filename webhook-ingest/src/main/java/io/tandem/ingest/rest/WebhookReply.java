package io.tandem.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON answer to GitLab: it shows up in the webhook's "Recent events" log. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookReply(String status, String eventId, String reason, String error) {

    static WebhookReply accepted(String eventId) {
        return new WebhookReply("accepted", eventId, null, null);
    }

    static WebhookReply ignored(String reason) {
        return new WebhookReply("ignored", null, reason, null);
    }

    static WebhookReply error(String error) {
        return new WebhookReply(null, null, null, error);
    }
}
