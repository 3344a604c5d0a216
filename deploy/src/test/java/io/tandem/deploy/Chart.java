package io.tandem.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test, rendered and linted by Helm's own code (helm-java), never by a cluster. */
final class Chart {

    static final String RELEASE = "tandem";
    static final String NAMESPACE = "tandem";
    static final Path DIR = Path.of(System.getProperty("tandem.chart.dir", "helm/tandem")).toAbsolutePath().normalize();
    static final Path PRODUCTION_VALUES = DIR.resolve("values-production.yaml");

    private Chart() {
    }

    /** {@code helm template} with the chart's values.yaml plus the given files, later files winning. */
    static Manifests render(Path... valuesFiles) {
        TemplateCommand template = new Helm(DIR).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion("1.30.0");
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        return Manifests.parse(template.call());
    }

    /** {@code helm lint --strict} of the chart as it is (its values.yaml). */
    static LintResult lint() {
        return new Helm(DIR).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} with values.yaml overlaid by a values file. helm-java's lint takes no values
     * file, so the lint runs on a copy of the chart whose values.yaml is the two merged as Helm merges them.
     */
    static LintResult lintWith(Path valuesFile, Path workDir) {
        Path copy = workDir.resolve(DIR.getFileName());
        copyTree(DIR, copy);
        Map<String, Object> merged = Yaml.deepMerge(Yaml.loadMap(DIR.resolve("values.yaml")), Yaml.loadMap(valuesFile));
        Yaml.write(merged, copy.resolve("values.yaml"));
        return new Helm(copy).lint().strict().call();
    }

    /** A values file in {@code dir} holding {@code values}, for a test's own overrides. */
    static Path valuesFile(Path dir, Map<String, Object> values) {
        try {
            Path file = Files.createTempFile(dir, "values-", ".yaml");
            Yaml.write(values, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every secret the chart needs when it makes the Secret itself, each a distinct recognisable string. */
    static Map<String, String> secretValues(String prefix) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String key : List.of("webhookSecret", "gitlabToken", "internalToken", "encryptionKey", "dbPassword")) {
            secrets.put(key, prefix + "-" + key + "-Zq7");
        }
        return secrets;
    }

    /** {@link #secretValues} as chart values: {@code secrets.<name>}. */
    static Map<String, Object> withSecrets(String prefix) {
        return Map.of("secrets", secretValues(prefix));
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
