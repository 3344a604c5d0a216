package io.tandem.ingest.service;

import io.tandem.ingest.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks GitLab's {@code X-Gitlab-Token} against the configured webhook secret. */
@ApplicationScoped
public class WebhookTokenVerifier {

    private final byte[] expectedDigest;

    public WebhookTokenVerifier(TandemConfig config) {
        this.expectedDigest = sha256(config.webhook().secret());
    }

    /**
     * Compares digests rather than the raw strings: {@link MessageDigest#isEqual} is constant time for equal
     * lengths only, and comparing fixed-length digests keeps the secret's length from leaking as well.
     */
    public boolean matches(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(token));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
