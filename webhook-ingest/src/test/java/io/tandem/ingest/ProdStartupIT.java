package io.tandem.ingest;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.JavaProcess;
import io.tandem.testsupport.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service, in the prod profile, must refuse to start without a webhook secret, and start with one. */
class ProdStartupIT {

    @Test
    void startsWithTandemWebhookSecret() throws Exception {
        int port = FreePorts.next();
        Path log = Files.createTempDirectory("webhook-ingest-prod").resolve("webhook-ingest.log");

        try (JavaProcess service = JavaProcess.startQuarkusApp("webhook-ingest", Workspace.runnerJar("webhook-ingest"),
                Map.of("quarkus.http.port", Integer.toString(port),
                        "quarkus.http.host", "127.0.0.1",
                        "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next()),
                Map.of("TANDEM_WEBHOOK_SECRET", "prod-test-secret"), log)) {
            service.awaitHttpOk("http://127.0.0.1:" + port + "/q/health/live", Duration.ofMinutes(2));
        }
    }


    @Test
    void startupFailsWithoutTandemWebhookSecret() throws Exception {
        // The child inherits this environment; with the variable set there is nothing to prove here.
        assumeTrue(System.getenv("TANDEM_WEBHOOK_SECRET") == null, "TANDEM_WEBHOOK_SECRET is set in this shell");
        Path log = Files.createTempDirectory("webhook-ingest-prod").resolve("webhook-ingest.log");

        JavaProcess service = JavaProcess.startQuarkusApp("webhook-ingest", Workspace.runnerJar("webhook-ingest"),
                Map.of("quarkus.http.port", "0",
                        "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next()),
                Map.of(), log);
        try {
            int exitCode = service.waitFor(Duration.ofMinutes(2));
            assertNotEquals(0, exitCode, service.tail());
            String output = Files.readString(log);
            assertTrue(output.contains("TANDEM_WEBHOOK_SECRET") || output.contains("tandem.webhook.secret"),
                    output);
        } finally {
            service.stop();
        }
    }
}
