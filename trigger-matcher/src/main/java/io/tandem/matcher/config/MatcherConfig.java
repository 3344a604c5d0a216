package io.tandem.matcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings under {@code tandem.}: how to reach GitLab and the other services. Tokens are never logged. */
@ConfigMapping(prefix = "tandem")
public interface MatcherConfig {

    Gitlab gitlab();

    /** Sent as {@code X-Tandem-Internal-Token} on calls to identity-service. */
    String internalToken();

    /** Definitions larger than this are refused before parsing. */
    @WithDefault("65536")
    int definitionMaxBytes();

    Runs runs();

    interface Runs {

        /**
         * An active run whose end was never reported (its status record was lost or dead-lettered) stops blocking
         * its thread once it is older than its job timeout (60 minutes if the definition sets none) plus this.
         */
        @WithDefault("PT6H")
        Duration staleGrace();
    }

    interface Gitlab {

        /** Base URL without {@code /api/v4}, as gitlab4j takes it. */
        String url();

        /** Tandem's admin token: reads users and roles. */
        String token();

        /** How long GitLab's bot flag of a user is remembered. */
        @WithDefault("PT10M")
        Duration userCacheTtl();

        @WithDefault("5000")
        int connectTimeoutMillis();

        @WithDefault("30000")
        int readTimeoutMillis();
    }
}
