package io.tandem.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything ai-gateway reads from {@code tandem.*}. The providers' API keys are never logged. */
@ConfigMapping(prefix = "tandem")
public interface GatewayConfig {

    Gateway gateway();

    /** Shared secret Tandem's services (and operators' tooling) send as {@code X-Tandem-Internal-Token}. */
    String internalToken();

    interface Gateway {

        /** {@code iss} of gateway tokens (identity-service's {@code tandem.identity.issuer}). */
        @WithDefault("tandem")
        String issuer();

        /** identity-service's published keys. */
        String jwksUrl();

        /** A token naming an unknown {@code kid} reloads the keys, at most this often. */
        @WithDefault("1m")
        Duration keyReloadInterval();

        /** How long "this run has not ended" is trusted before the table is asked again. */
        @WithDefault("2s")
        Duration endedRunCacheTtl();

        /** The largest request body read whole (to check its model); larger ones are refused with 413. */
        @WithDefault("33554432")
        int maxRequestBody();

        /** The largest non-streamed JSON answer kept aside to count its usage; it streams through regardless. */
        @WithDefault("8388608")
        int maxUsageBody();

        @WithDefault("10s")
        Duration connectTimeout();

        /** A provider connection silent for this long is closed (long generations send nothing for a while). */
        @WithDefault("10m")
        Duration idleTimeout();

        Upstream anthropic();

        Upstream openai();

        Models models();

        /**
         * Base64 of the 32-byte AES key that seals provider keys at rest ({@code TANDEM_ENCRYPTION_KEY}).
         */
        String encryptionKey();

        /** Earlier encryption keys: rows they sealed still open, new rows use {@link #encryptionKey()}. */
        Optional<List<String>> retiredEncryptionKeys();

        /**
         * How long a replica trusts its copy of the allow-lists, provider keys and budgets: a change made through another
         * replica applies here at most this much later (at once on the replica that took it).
         */
        @WithDefault("5s")
        Duration settingsCacheTtl();
    }

    interface Upstream {

        /** Base URL the path after the front door is appended to. */
        String url();

        /**
         * The organisation's key as configured: the bootstrap, until a key is set (or removed) through
         * {@code /internal/v1/provider-keys}; without either the provider's front door answers 503.
         */
        Optional<String> apiKey();
    }

    /** The instance's allow-list; a request's model must also be in its token's list. */
    interface Models {

        List<String> anthropic();

        List<String> openai();
    }
}
