package io.tandem.ingest.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.ingest.config.TandemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookTokenVerifierTest {

    private final WebhookTokenVerifier verifier = new WebhookTokenVerifier(config("s3cret-token"));

    @Test
    void onlyTheExactSecretMatches() {
        assertTrue(verifier.matches("s3cret-token"));
        assertFalse(verifier.matches("s3cret-tokeN"));
        assertFalse(verifier.matches("s3cret-token "));
        assertFalse(verifier.matches("s3cret"));
        assertFalse(verifier.matches(""));
        assertFalse(verifier.matches(null));
    }

    private static TandemConfig config(String secret) {
        TandemConfig.Webhook webhook = new TandemConfig.Webhook() {
            @Override
            public String secret() {
                return secret;
            }

            @Override
            public long maxBodyBytes() {
                return 1024;
            }

            @Override
            public Duration publishTimeout() {
                return Duration.ofSeconds(1);
            }
        };
        return () -> webhook;
    }
}
