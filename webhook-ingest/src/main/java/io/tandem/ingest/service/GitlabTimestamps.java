package io.tandem.ingest.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * GitLab writes webhook times in several shapes depending on the version and the event:
 * {@code 2015-05-17T17:06:40Z}, {@code 2015-05-17T17:06:40.123+02:00}, {@code 2015-05-17 17:06:40 UTC},
 * {@code 2016-08-12 15:23:28 +0200}.
 */
final class GitlabTimestamps {

    private static final List<DateTimeFormatter> SPACED = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] z"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] Z"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] XXX"));

    static Optional<Instant> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException ignored) {
            // not ISO-8601; try GitLab's other shapes
        }
        for (DateTimeFormatter format : SPACED) {
            try {
                return Optional.of(ZonedDateTime.parse(value, format).toInstant());
            } catch (DateTimeParseException ignored) {
                // next shape
            }
        }
        return Optional.empty();
    }

    private GitlabTimestamps() {
    }
}
