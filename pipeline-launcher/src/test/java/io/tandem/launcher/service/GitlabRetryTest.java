package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.launcher.client.GitlabStepException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class GitlabRetryTest {

    private static final Duration BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void followsRetryAfterUpToTheCap() {
        assertEquals(Duration.ofSeconds(7), GitlabRetry.delay(Duration.ofSeconds(7), 0, BACKOFF, MAX, 0.99));
        assertEquals(MAX, GitlabRetry.delay(Duration.ofHours(1), 0, BACKOFF, MAX, 0.0));
    }

    @Test
    void backsOffExponentiallyWithJitterAndABound() {
        assertEquals(Duration.ofMillis(250), GitlabRetry.delay(null, 0, BACKOFF, MAX, 0.0));
        assertEquals(Duration.ofMillis(750), GitlabRetry.delay(null, 0, BACKOFF, MAX, 1.0));
        assertEquals(Duration.ofMillis(2_000), GitlabRetry.delay(null, 2, BACKOFF, MAX, 0.5));
        assertEquals(MAX, GitlabRetry.delay(null, 30, BACKOFF, MAX, 0.5));
    }

    @Test
    void readsRetryAfterAsSecondsOrAsAnHttpDate() {
        assertEquals(Duration.ofSeconds(2), GitlabStepException.retryAfter(headers("2")));
        Duration fromDate = GitlabStepException.retryAfter(headers(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30))));
        assertTrue(fromDate.compareTo(Duration.ofSeconds(25)) > 0 && fromDate.compareTo(Duration.ofSeconds(31)) < 0,
                String.valueOf(fromDate));
        assertNull(GitlabStepException.retryAfter(headers("soon")));
        assertNull(GitlabStepException.retryAfter(new MultivaluedHashMap<>()));
    }

    private static MultivaluedHashMap<String, String> headers(String retryAfter) {
        MultivaluedHashMap<String, String> headers = new MultivaluedHashMap<>();
        headers.add("Retry-After", retryAfter);
        return headers;
    }
}
