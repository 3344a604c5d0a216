package io.tandem.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything identity-service reads from {@code tandem.*}. Secrets here are never logged. */
@ConfigMapping(prefix = "tandem")
public interface TandemConfig {

    Gitlab gitlab();

    /** Shared secret other services send as {@code X-Tandem-Internal-Token}. */
    String internalToken();

    Identity identity();

    Proxy proxy();

    /** The GitLab proxy runs talk to instead of GitLab. */
    interface Proxy {

        /** How long a human's role read from GitLab is trusted before a write reads it again. */
        @WithDefault("30s")
        Duration roleCacheTtl();

        /** The largest request body the proxy reads whole to check it; anything it need not read streams. */
        @WithDefault("10485760")
        int maxInspectedBody();
    }

    interface Gitlab {

        /** Base URL without {@code /api/v4}, as gitlab4j takes it. */
        String url();

        /** Tandem's admin token: reads users and roles, manages group service accounts. */
        String token();

        /** How long a gitlab4j call may take to connect. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How long a gitlab4j call may wait for GitLab's answer: no call to GitLab waits for ever. */
        @WithDefault("15s")
        Duration readTimeout();
    }

    interface Identity {

        /** {@code iss} of run tokens. */
        @WithDefault("tandem")
        String issuer();

        @WithDefault("2h")
        Duration runTokenTtl();

        /**
         * The longest one attempt at deciding a requested invocation may take (GitLab reads, database, publishing);
         * past it the attempt fails and is retried. Keep attempts times retries well under
         * {@code throttled.unprocessed-record-max-age.ms}.
         */
        @WithDefault("45s")
        Duration decisionAttemptTimeout();

        /** Base64 of 32 bytes: the AES-256 key that seals service account tokens and signing keys. */
        String encryptionKey();

        /**
         * Earlier encryption keys, still able to open what they sealed, so that the key can be rotated
         * without re-encrypting every row at once.
         */
        Optional<List<String>> retiredEncryptionKeys();

        /** Lifetime of the personal access tokens minted for service accounts. */
        @WithDefault("365")
        int serviceAccountTokenDays();

        /** A service account token closer than this to its expiry is replaced when it is handed out. */
        @WithDefault("30")
        int serviceAccountTokenRenewDays();
    }
}
