package io.tandem.identity.service;

import java.util.List;
import java.util.Locale;

/** Which branches and files a run may write. */
public final class BranchRules {

    private static final String HEADS = "refs/heads/";

    /** A branch matches a pattern exactly, or a pattern's {@code *} stands for any run of characters. */
    public static boolean allowed(String branch, List<String> patterns) {
        if (branch == null || branch.isEmpty()) {
            return false;
        }
        String name = branch.startsWith(HEADS) ? branch.substring(HEADS.length()) : branch;
        for (String pattern : patterns) {
            if (pattern.equals(name) || (pattern.contains("*") && name.matches(globToRegex(pattern)))) {
                return true;
            }
        }
        return false;
    }

    /** A git ref a run may update: a branch (never a tag or another ref) it is allowed to write. */
    public static boolean refAllowed(String ref, List<String> patterns) {
        return ref.startsWith(HEADS) && allowed(ref, patterns);
    }

    /**
     * GitLab CI configuration: the default {@code .gitlab-ci.yml} (at any depth, for monorepo includes) and
     * anything under {@code .gitlab/ci/}, where projects keep their included CI files.
     */
    public static boolean isCiConfig(String path) {
        if (path == null) {
            return false;
        }
        String normalized = path.replace('\\', '/').replaceAll("^/+", "").toLowerCase(Locale.ROOT);
        return normalized.equals(".gitlab-ci.yml") || normalized.endsWith("/.gitlab-ci.yml")
                || normalized.startsWith(".gitlab/ci/") || normalized.contains("/.gitlab/ci/");
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(java.util.regex.Pattern.quote(part));
        }
        return regex.toString();
    }

    private BranchRules() {
    }
}
