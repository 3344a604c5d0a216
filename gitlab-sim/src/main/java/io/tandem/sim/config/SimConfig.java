package io.tandem.sim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the GitLab simulator. */
@ConfigMapping(prefix = "tandem")
public interface SimConfig {

    Sim sim();

    interface Sim {
        /** The token of the root user (id 1, admin). */
        String rootToken();

        /** Where the bare Git repositories live. */
        String dataDir();

        /** Base URL of the simulator as seen by clients; empty means "derive from the first request". */
        Optional<String> externalUrl();

        Webhook webhook();
    }

    interface Webhook {
        @WithDefault("10")
        int maxAttempts();

        @WithDefault("PT0.2S")
        Duration retryInitialDelay();

        @WithDefault("PT10S")
        Duration retryMaxDelay();

        @WithDefault("PT10S")
        Duration timeout();
    }
}
