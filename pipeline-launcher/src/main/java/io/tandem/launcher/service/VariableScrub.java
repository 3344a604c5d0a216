package io.tandem.launcher.service;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first line of the agent job's shell: removes every environment variable the agent may not see.
 *
 * <p>GitLab hands every project, group and instance CI/CD variable to every job whose branch and environment
 * match the variable's protection and scope; a {@code .gitlab-ci.yml} can neither refuse nor override them
 * (they outrank job variables, and {@code inherit:variables} only covers the file's own global ones). What the
 * generated job can do is clear them from its shell before the agent's commands start: every variable whose
 * name is neither on the definition's {@code variables} list, nor an {@code AI_FLOW_*} or {@code id_tokens}
 * name, nor one of the runtime's own (GitLab's predefined {@code CI_*}, {@code GITLAB_USER_*}, {@code FF_*},
 * {@code PATH}, {@code HOME}, ...) is unset, and a file-type variable's file is deleted too.
 */
public final class VariableScrub {

    /** CI/CD variable names as GitLab allows them; anything else is refused, as it would reach the shell. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Patterns (shell {@code case} syntax) of what the runtime and GitLab itself put there. */
    static final List<String> RUNTIME = List.of("CI", "CI_*", "GITLAB_CI", "GITLAB_FEATURES", "GITLAB_USER_*",
            "FF_*", "AI_FLOW_*", "PATH", "HOME", "HOSTNAME", "PWD", "OLDPWD", "SHELL", "SHLVL", "TERM", "USER",
            "LOGNAME", "LANG", "LC_*", "TZ", "TMPDIR", "_");

    /**
     * @param allowed the definition's variable names and the {@code id_tokens} names
     * @throws IllegalArgumentException for a name GitLab would not accept as a variable key
     */
    public static String line(Collection<String> allowed) {
        Set<String> patterns = new LinkedHashSet<>(RUNTIME);
        for (String name : allowed) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("the agent definition names an invalid CI/CD variable: " + name);
            }
            patterns.add(name);
        }
        // POSIX sh (images may lack bash). Variable names only ever come from `env`, filtered to valid names,
        // so the eval sees nothing but a name. unset may fail on a read-only shell variable: never abort on it.
        return "for tandem_name in $(env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p'); do"
                + " case \"$tandem_name\" in " + String.join("|", patterns) + ") ;;"
                + " *) eval \"tandem_value=\\${$tandem_name}\";"
                + " case \"$tandem_value\" in \"${CI_PROJECT_DIR}.tmp/\"*) rm -f -- \"$tandem_value\" ;; esac;"
                + " unset \"$tandem_name\" 2>/dev/null || true ;;"
                + " esac; done; unset tandem_name tandem_value";
    }

    private VariableScrub() {
    }
}
