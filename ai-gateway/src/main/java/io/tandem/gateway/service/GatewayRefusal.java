package io.tandem.gateway.service;

/**
 * A request the gateway answers itself, in the provider's error shape. The message is for the caller and
 * never carries a token or a key.
 */
public class GatewayRefusal extends RuntimeException {

    /** What went wrong, mapped to each provider's error type. */
    public enum Kind {
        AUTHENTICATION(401), MODEL_NOT_ALLOWED(400), BAD_REQUEST(400), TOO_LARGE(413), NOT_FOUND(404),
        OVER_BUDGET(429), NOT_CONFIGURED(503), UPSTREAM_UNREACHABLE(502);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public GatewayRefusal(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static GatewayRefusal unauthorized(String message) {
        return new GatewayRefusal(Kind.AUTHENTICATION, message);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status();
    }
}
