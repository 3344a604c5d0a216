package io.tandem.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** webhook-ingest's own settings. */
@ConfigMapping(prefix = "tandem")
public interface TandemConfig {

    Webhook webhook();

    interface Webhook {

        /**
         * The secret token GitLab sends as {@code X-Gitlab-Token}. No default outside dev and test: a service
         * that would accept any webhook must not start.
         */
        String secret();

        /** Largest accepted body; {@code quarkus.http.limits.max-body-size} is set from it. */
        @WithDefault("1048576")
        long maxBodyBytes();

        /**
         * How long a request waits for the broker's acknowledgement before it answers 503. Below GitLab's
         * own 10 s webhook timeout, so that GitLab sees our answer instead of its timeout.
         */
        @WithDefault("9s")
        Duration publishTimeout();
    }
}
