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

        /**
         * The largest push the proxy spools to disk to check it for CI configuration changes (runs whose
         * definition allows such changes stream their pushes unchecked, without this bound).
         */
        @WithDefault("2147483648")
        long maxPushSize();
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

        /** A consumer's wait before retrying a failed record; doubled for each retry, up to ten times this. */
        @WithDefault("500ms")
        Duration retryBackOff();

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

        /** A service account token this close to its expiry is rotated (by the sweep, or when handed out). */
        @WithDefault("30")
        int serviceAccountTokenRenewDays();

        /** How often a replica looks for service account tokens due for rotation. */
        @WithDefault("1h")
        Duration tokenRotationInterval();

        /** The age at which the active signing key is replaced by a new one. */
        @WithDefault("30d")
        Duration signingKeyRotation();

        /**
         * How often a replica reloads the signing keys (picking up another replica's new key, forgetting retired
         * ones) and rotates or retires keys that are due: the bound on how long a replica lags behind.
         */
        @WithDefault("1m")
        Duration signingKeyCheckInterval();

        /**
         * A replaced key keeps verifying for the run token lifetime plus this (clock skew, a replica that signed
         * with it until its next check), then is retired: no longer published nor accepted.
         */
        @WithDefault("10m")
        Duration signingKeyRetireMargin();

        /** The model allow-list written into each AI gateway token ({@code models} claim) when it is minted. */
        GatewayModels gatewayModels();
    }

    /**
     * Models a run may ask the AI gateway for, per provider. The defaults are the models GitLab documents for its
     * managed credentials (Anthropic Claude, OpenAI Codex).
     */
    interface GatewayModels {

        @WithDefault("claude-3-sonnet-20240229,claude-3-5-sonnet-20240620,claude-3-haiku-20240307,"
                + "claude-3-5-haiku-20241022,claude-3-5-sonnet-20241022,claude-3-7-sonnet-20250219,"
                + "claude-sonnet-4-20250514,claude-sonnet-4-5-20250929")
        List<String> anthropic();

        @WithDefault("gpt-5,gpt-5-codex")
        List<String> openai();
    }
}
