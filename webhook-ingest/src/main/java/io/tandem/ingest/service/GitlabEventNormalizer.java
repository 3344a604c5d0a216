package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * Turns a webhook body into the {@code events} record Tandem publishes for it. {@code X-Gitlab-Event} decides
 * whether Tandem uses the event at all; {@code object_kind} must agree with it.
 */
@ApplicationScoped
public class GitlabEventNormalizer {

    private static final Set<String> ISSUE_KINDS = Set.of("issue", "work_item");
    private static final int MAX_ECHOED_LENGTH = 64;

    private final ObjectReader reader;
    private final Clock clock;

    public GitlabEventNormalizer(ObjectMapper mapper, Clock clock) {
        this.reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.clock = clock;
    }

    /** @throws MalformedWebhookException if the body is not a GitLab event, or lacks what Tandem needs */
    public Normalized normalize(byte[] body, Delivery delivery) {
        JsonNode root = parse(body);
        String kind = objectKind(root);
        if (delivery.gitlabEvent() == null) {
            throw new MalformedWebhookException("missing X-Gitlab-Event header");
        }
        var receivedAt = clock.instant();
        return switch (delivery.gitlabEvent()) {
            case "Note Hook", "Confidential Note Hook" -> {
                expectKind(delivery, kind, Set.of("note"));
                yield NoteNormalizer.normalize(root, delivery, delivery.gitlabEvent().startsWith("Confidential"),
                        receivedAt);
            }
            case "Issue Hook", "Confidential Issue Hook", "Work Item Hook" -> {
                expectKind(delivery, kind, ISSUE_KINDS);
                yield IssueNormalizer.normalize(root, kind, delivery,
                        delivery.gitlabEvent().startsWith("Confidential"), receivedAt);
            }
            case "Merge Request Hook" -> {
                expectKind(delivery, kind, Set.of("merge_request"));
                yield MergeRequestNormalizer.normalize(root, delivery, receivedAt);
            }
            case "Pipeline Hook" -> {
                expectKind(delivery, kind, Set.of("pipeline"));
                yield PipelineNormalizer.normalize(root, delivery, receivedAt);
            }
            default -> new Normalized.Ignored(echo(delivery.gitlabEvent()) + " events are not used by Tandem");
        };
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedWebhookException("empty body: expected a GitLab event as a JSON object");
        }
        JsonNode root;
        try {
            root = reader.readValue(body);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the body; the location is enough and leaks nothing.
            var location = e.getLocation();
            throw new MalformedWebhookException("body is not valid JSON"
                    + (location != null ? " (line " + location.getLineNr() + ", column " + location.getColumnNr()
                            + ")" : ""));
        } catch (IOException e) {
            throw new MalformedWebhookException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("body is not a JSON object");
        }
        return root;
    }

    /** System hooks name their kind in {@code event_name} only; they are GitLab events too. */
    private static String objectKind(JsonNode root) {
        for (String field : new String[] {"object_kind", "event_type", "event_name"}) {
            String kind = text(root, field);
            if (kind != null && !kind.isBlank()) {
                return kind;
            }
        }
        throw new MalformedWebhookException("not a GitLab event: no object_kind or event_type");
    }

    private static void expectKind(Delivery delivery, String kind, Set<String> expected) {
        if (!expected.contains(kind)) {
            throw new MalformedWebhookException("X-Gitlab-Event " + echo(delivery.gitlabEvent())
                    + " does not match object_kind " + echo(kind));
        }
    }

    /** Header and kind values are caller-controlled: quote them short. */
    private static String echo(String value) {
        String shortened = value.length() > MAX_ECHOED_LENGTH ? value.substring(0, MAX_ECHOED_LENGTH) + "..." : value;
        return "'" + shortened.replaceAll("[^\\p{Print}]", "?") + "'";
    }
}
