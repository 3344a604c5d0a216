package io.tandem.gateway.service;

import io.vertx.core.json.JsonObject;

/**
 * The gateway's own answers in the error shape of the provider behind the front door, so that the provider's
 * client libraries (Claude Code, Codex) show the message instead of failing to parse it.
 */
public final class ProviderErrors {

    private ProviderErrors() {
    }

    public static String body(Provider provider, GatewayRefusal refusal) {
        return provider == Provider.ANTHROPIC ? anthropic(refusal) : openai(refusal);
    }

    private static String anthropic(GatewayRefusal refusal) {
        String type = switch (refusal.kind()) {
            case AUTHENTICATION -> "authentication_error";
            case MODEL_NOT_ALLOWED, BAD_REQUEST -> "invalid_request_error";
            case TOO_LARGE -> "request_too_large";
            case NOT_FOUND -> "not_found_error";
            case OVER_BUDGET -> "rate_limit_error";
            case NOT_CONFIGURED, UPSTREAM_UNREACHABLE -> "api_error";
        };
        return new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", type).put("message", refusal.getMessage())).encode();
    }

    private static String openai(GatewayRefusal refusal) {
        String type = switch (refusal.kind()) {
            case AUTHENTICATION, MODEL_NOT_ALLOWED, BAD_REQUEST, TOO_LARGE, NOT_FOUND -> "invalid_request_error";
            case OVER_BUDGET -> "insufficient_quota";
            case NOT_CONFIGURED, UPSTREAM_UNREACHABLE -> "server_error";
        };
        String code = switch (refusal.kind()) {
            case AUTHENTICATION -> "invalid_api_key";
            case MODEL_NOT_ALLOWED -> "model_not_found";
            case TOO_LARGE -> "request_too_large";
            case NOT_FOUND -> "unknown_url";
            case OVER_BUDGET -> "insufficient_quota";
            case BAD_REQUEST, NOT_CONFIGURED, UPSTREAM_UNREACHABLE -> null;
        };
        return new JsonObject().put("error", new JsonObject().put("message", refusal.getMessage()).put("type", type)
                .put("param", refusal.kind() == GatewayRefusal.Kind.MODEL_NOT_ALLOWED ? "model" : null)
                .put("code", code)).encode();
    }
}
