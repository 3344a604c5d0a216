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

    enum Ordering {
        HOOK, THREAD
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

        /** Deliveries sent at once (to different hooks; one hook gets one at a time, in order). */
        @WithDefault("16")
        int workers();

        /**
         * {@code hook}: a hook gets all its deliveries in creation order, one at a time. {@code thread}: only the
         * deliveries of one issue, merge request, epic, pipeline or branch are ordered, so one busy hook is sent
         * to concurrently (closer to GitLab, which does not order deliveries at all).
         */
        @WithDefault("hook")
        Ordering ordering();

        /** Deliveries kept for /-/sim/webhook-deliveries and redelivery; older ones are forgotten. */
        @WithDefault("10000")
        int historySize();
    }
}
