package io.tandem.publisher;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tandem.testsupport.FreePorts;
import java.util.Map;

/**
 * Points the {@code identity-service} REST client at {@link IdentityServiceStandIn}, which the application under
 * test serves itself: the test HTTP port is fixed here so that the client's URL is known before start-up.
 */
public class IdentityServiceStandInResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port = FreePorts.next();
        return Map.of(
                "quarkus.http.test-port", Integer.toString(port),
                "quarkus.rest-client.identity-service.url", "http://127.0.0.1:" + port,
                "tandem.internal-token", IdentityServiceStandIn.INTERNAL_TOKEN,
                // short enough for a test to see a token fetched again, long enough to be reused within a run
                "tandem.publisher.token-cache-ttl", "PT30S",
                // WatchdogTest runs the watchdog itself; a scheduled run in between would take its work away
                "tandem.publisher.watchdog.interval", "PT1H");
    }

    @Override
    public void stop() {
    }
}
