package io.tandem.publisher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The {@code tandem.*} settings of result-publisher. */
@ConfigMapping(prefix = "tandem")
public interface TandemConfig {

    Gitlab gitlab();

    /** Sent as {@code X-Tandem-Internal-Token} to identity-service. */
    String internalToken();

    Publisher publisher();

    interface Gitlab {
        /** Base URL without {@code /api/v4}, as gitlab4j-api takes it. */
        String url();

        /** Admin token; result-publisher writes only as service accounts, so it does not use it today. */
        String token();
    }

    interface Publisher {
        /** How long a service account's GitLab token is reused before identity-service is asked again. */
        @WithDefault("PT5M")
        Duration tokenCacheTtl();

        Watchdog watchdog();

        AuditCloudevents auditCloudevents();
    }

    interface Watchdog {
        /** A run whose note shows the same non-terminal state for this long is finished as timed out. */
        @WithDefault("PT3H")
        Duration staleAfter();

        /** How often the watchdog looks; read by the scheduler as {@code tandem.publisher.watchdog.interval}. */
        @WithDefault("PT5M")
        Duration interval();
    }

    interface AuditCloudevents {
        @WithDefault("tandem.audit.cloudevents.v1")
        String topic();

        /** {@code retention.ms} of the topic; -1 keeps records forever. The topic is never compacted. */
        @WithDefault("-1")
        long retentionMs();

        @WithDefault("3")
        int partitions();
    }
}
