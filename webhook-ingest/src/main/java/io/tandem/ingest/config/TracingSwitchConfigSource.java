package io.tandem.ingest.config;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns OpenTelemetry on only where traces have somewhere to go: {@code quarkus.otel.sdk.disabled} is true
 * unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set. The exporter itself is fixed at build time, so this runtime
 * switch is the one place to decide. Its ordinal is below application.properties and the environment, so an
 * explicit {@code QUARKUS_OTEL_SDK_DISABLED} still wins.
 */
public class TracingSwitchConfigSource implements ConfigSource {

    static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final int ORDINAL = 200;

    private final Map<String, String> properties;

    public TracingSwitchConfigSource() {
        this(System::getenv);
    }

    TracingSwitchConfigSource(UnaryOperator<String> environment) {
        String endpoint = environment.apply(ENDPOINT_VARIABLE);
        boolean exporting = endpoint != null && !endpoint.isBlank();
        this.properties = Map.of(SDK_DISABLED, Boolean.toString(!exporting));
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "tandem-tracing-switch";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
