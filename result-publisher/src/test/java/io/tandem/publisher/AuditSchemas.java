package io.tandem.publisher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The published JSON Schemas of the audit CloudEvents (docs/schema/audit), as an outside consumer reads them. */
final class AuditSchemas {

    static final Path DIRECTORY = Path.of("..", "docs", "schema", "audit");

    /** The schema of audit {@code type} (without the {@code io.tandem.} prefix), with format assertions on. */
    static JsonSchema schemaFor(String type) throws IOException {
        Path file = DIRECTORY.resolve(type + ".schema.json");
        assertTrue(Files.exists(file), "a schema for " + type);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    private AuditSchemas() {
    }
}
