package io.tandem.launcher.client;

import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.gitlab4j.api.GitLabApiException;

/**
 * A GitLab call that failed, named by the step it was part of. The message carries GitLab's status and
 * reason only (never request headers), so it is safe for logs and for the run's failure detail.
 */
public class GitlabStepException extends RuntimeException {

    private final int httpStatus;
    private final Duration retryAfter;

    public GitlabStepException(String step, GitLabApiException cause) {
        super(step + " failed: " + describe(cause), cause);
        this.httpStatus = cause.getHttpStatus();
        this.retryAfter = retryAfter(cause.getHeaders());
    }

    /** What GitLab's {@code Retry-After} asked for (seconds or an HTTP date), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static Duration retryAfter(MultivaluedMap<String, String> headers) {
        String value = headers == null ? null : headers.getFirst("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    /** GitLab's HTTP status, 0 when no answer came (connection refused, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    private static String describe(GitLabApiException e) {
        if (e.getHttpStatus() == 0) {
            return "GitLab did not answer (" + e.getCause() + ")";
        }
        return "GitLab answered " + e.getHttpStatus() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
