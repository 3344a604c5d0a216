package io.tandem.sim.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers to build GitLab-shaped JSON objects (ordered maps, GitLab's date format). */
public final class Json {

    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOOK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    public static Map<String, Object> obj(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** ISO 8601 with milliseconds, as the REST API shows times. */
    public static String time(Instant instant) {
        return instant == null ? null : API_TIME.format(instant);
    }

    /** {@code 2025-01-01 12:00:00 UTC}, as webhook payloads show times. */
    public static String hookTime(Instant instant) {
        return instant == null ? null : HOOK_TIME.format(instant);
    }

    public static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }
}
