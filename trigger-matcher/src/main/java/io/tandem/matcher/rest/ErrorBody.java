package io.tandem.matcher.rest;

/** Every error the admin API answers: {@code {"error": "<reason>"}}. */
public record ErrorBody(String error) {
}
