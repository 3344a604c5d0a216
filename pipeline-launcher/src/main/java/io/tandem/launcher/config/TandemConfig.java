package io.tandem.launcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** pipeline-launcher's settings under {@code tandem.*}. */
@ConfigMapping(prefix = "tandem")
public interface TandemConfig {

    Gitlab gitlab();

    /** Sent as {@code X-Tandem-Internal-Token} to identity-service. */
    String internalToken();

    Launcher launcher();

    interface Gitlab {
        /** Base URL without {@code /api/v4}, as gitlab4j-api takes it. */
        String url();

        /** Admin token; the launcher itself acts as the service account, this one is unused for writes. */
        String token();
    }

    interface Launcher {
        /** Upper bound of {@code AI_FLOW_CONTEXT} in bytes (UTF-8); oldest notes are dropped first. */
        @WithDefault("65536")
        int contextMaxBytes();

        /** {@code AI_FLOW_GITLAB_HOSTNAME}: where runs reach GitLab, through identity-service's proxy. */
        @WithDefault("127.0.0.1:8082")
        String gitlabProxyHostname();

        /** Retries of a GitLab step that failed transiently (5xx, 429, timeouts) before the run fails. */
        @WithDefault("3")
        int gitlabRetries();

        /** First back-off between retries; doubles each time, with jitter of +-50%. */
        @WithDefault("500ms")
        Duration gitlabBackoff();

        /** Upper bound of one back-off, and of a {@code Retry-After} GitLab asks for. */
        @WithDefault("60s")
        Duration gitlabMaxBackoff();

        /** How often the watchdog looks for runs past their timeout and for quiet runs to poll. */
        @WithDefault("30s")
        Duration watchInterval();

        /** A run whose state has not moved for this long has its pipeline polled (a Pipeline Hook may be lost). */
        @WithDefault("5m")
        Duration pollAfter();

        /**
         * How long a service account's GitLab token fetched from identity-service is used before it is fetched
         * again (a 401 from GitLab fetches it at once).
         */
        @WithDefault("5m")
        Duration tokenCacheTtl();

        /** Job timeout when the agent definition names none. */
        @WithDefault("120")
        int defaultTimeoutMinutes();

        /**
         * Where runs reach Tandem's AI gateway, passed as {@code TANDEM_AI_GATEWAY_URL} to runs whose definition
         * asks for managed model credentials; not passed when unset.
         */
        Optional<String> aiGatewayUrl();
    }
}
