package io.tandem.sim.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads job names and stages from a {@code .gitlab-ci.yml} without a YAML library: top-level keys that are
 * not GitLab keywords nor hidden ({@code .name}) are jobs. Good enough for the simulator's one-job pipelines.
 */
final class CiJobNames {

    private static final Set<String> KEYWORDS = Set.of("stages", "variables", "default", "include", "workflow",
            "image", "services", "before_script", "after_script", "cache", "spec", "pages");

    private CiJobNames() {
    }

    /** Job name to stage, in file order; empty if none found. */
    static Map<String, String> parse(String yaml) {
        Map<String, String> jobs = new LinkedHashMap<>();
        if (yaml == null) {
            return jobs;
        }
        String currentJob = null;
        List<String> lines = new ArrayList<>(List.of(yaml.split("\\R")));
        for (String line : lines) {
            if (line.isBlank() || line.trim().startsWith("#") || line.startsWith("---")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                currentJob = null;
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = unquote(line.substring(0, colon).trim());
                if (!KEYWORDS.contains(key) && !key.startsWith(".")) {
                    currentJob = key;
                    jobs.put(key, "test");
                }
            } else if (currentJob != null) {
                String trimmed = line.trim();
                if (trimmed.startsWith("stage:") && line.indexOf("stage:") <= 4) {
                    jobs.put(currentJob, unquote(trimmed.substring("stage:".length()).trim()));
                }
            }
        }
        return jobs;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
