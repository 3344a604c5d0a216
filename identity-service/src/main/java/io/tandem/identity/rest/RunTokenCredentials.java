package io.tandem.identity.rest;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Where a client puts the run token: {@code PRIVATE-TOKEN}, {@code Authorization: Bearer}, or a basic auth password. */
final class RunTokenCredentials {

    static String from(HttpServerRequest request) {
        String privateToken = request.getHeader("PRIVATE-TOKEN");
        if (privateToken != null && !privateToken.isBlank()) {
            return privateToken.trim();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        String lower = authorization.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer ")) {
            return authorization.substring("bearer ".length()).trim();
        }
        if (lower.startsWith("basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring("basic ".length()).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private RunTokenCredentials() {
    }
}
