package io.tandem.deploy;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** SnakeYAML for values files: load, merge as Helm merges values (maps deeply, everything else replaced), write. */
final class Yaml {

    private Yaml() {
    }

    static org.yaml.snakeyaml.Yaml parser() {
        LoaderOptions loader = new LoaderOptions();
        // values.yaml shares one dead-letter topic setting between many topics through an alias.
        loader.setMaxAliasesForCollections(200);
        DumperOptions dumper = new DumperOptions();
        dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(loader),
                new org.yaml.snakeyaml.representer.Representer(dumper), dumper, loader);
    }

    static Map<String, Object> loadMap(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> map = parser().load(reader);
            return map == null ? new LinkedHashMap<>() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Map<String, Object> values, Path file) {
        try (Writer writer = Files.newBufferedWriter(file)) {
            parser().dump(values, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object current = merged.get(key);
            if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> valueMap) {
                merged.put(key, deepMerge((Map<String, Object>) currentMap, (Map<String, Object>) valueMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
