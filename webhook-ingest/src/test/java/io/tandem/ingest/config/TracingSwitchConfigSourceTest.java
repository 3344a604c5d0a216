package io.tandem.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSwitchConfigSourceTest {

    private static String sdkDisabled(Map<String, String> environment) {
        return new TracingSwitchConfigSource(environment::get).getValue(TracingSwitchConfigSource.SDK_DISABLED);
    }

    @Test
    void tracingIsOffWithoutAnOtlpEndpoint() {
        assertEquals("true", sdkDisabled(Map.of()));
        assertEquals("true", sdkDisabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")));
    }

    @Test
    void tracingIsOnWithAnOtlpEndpoint() {
        assertEquals("false", sdkDisabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317")));
    }

    @Test
    void explicitSettingsWin() {
        // application.properties (250) and the environment (300) rank above this source
        assertEquals(200, new TracingSwitchConfigSource(name -> null).getOrdinal());
    }
}
