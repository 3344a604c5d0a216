package io.tandem.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The documents {@code helm template} printed, parsed, with paths into them that fail loudly when absent. */
record Manifests(String text, List<Map<String, Object>> documents) {

    static Manifests parse(String rendered) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : Yaml.parser().loadAll(rendered)) {
            if (document != null) {
                documents.add(asMap(document, "document"));
            }
        }
        return new Manifests(rendered, documents);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(name(d))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in:\n" + text));
    }

    static String name(Map<String, Object> document) {
        return (String) map(document, "metadata").get("name");
    }

    /** The map at a dotted path ({@code spec.template.spec}). */
    static Map<String, Object> map(Map<String, Object> from, String path) {
        Object current = from;
        for (String key : path.split("\\.")) {
            current = asMap(current, path).get(key);
            Objects.requireNonNull(current, () -> "no " + path + " in " + from);
        }
        return asMap(current, path);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> from, String key) {
        Object value = from.get(key);
        if (!(value instanceof List<?>)) {
            throw new AssertionError("no list " + key + " in " + from);
        }
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(what + " is not a map: " + value);
        }
        return (Map<String, Object>) value;
    }
}
