package io.tandem.gateway.rest;

import io.vertx.core.http.HttpServerRequest;

/**
 * Where a run's gateway token may come: {@code Authorization: Bearer} (OpenAI clients), {@code x-api-key}
 * (Anthropic clients) or {@code api-key} (Azure-style clients).
 */
final class GatewayCredentials {

    private static final String BEARER = "bearer ";

    private GatewayCredentials() {
    }

    static String from(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return nonBlank(authorization.substring(BEARER.length()).trim());
        }
        String apiKey = request.getHeader("x-api-key");
        if (apiKey != null) {
            return nonBlank(apiKey.trim());
        }
        String azureKey = request.getHeader("api-key");
        return azureKey == null ? null : nonBlank(azureKey.trim());
    }

    private static String nonBlank(String value) {
        return value.isEmpty() ? null : value;
    }
}
