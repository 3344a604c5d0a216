package io.tandem.identity.service;

import java.util.List;

/**
 * A REST call of a run, classified: the role it needs and what of it must still be checked once its
 * parameters (query string or body) are known.
 *
 * @param write whether it changes anything (every method but GET and HEAD)
 * @param requiredLevel the access level the run's effective role must reach
 * @param branches branches the path itself names as written (e.g. a branch being deleted)
 * @param files repository files the path itself names as written
 * @param body what must be read from the body before forwarding
 */
public record ApiCall(boolean write, int requiredLevel, List<String> branches, List<String> files, BodyCheck body) {

    public enum BodyCheck {
        /** Nothing to read: the body streams through. */
        NONE,
        /** A {@code branch} parameter names the branch written. */
        BRANCH,
        /** The commits API: {@code branch} and every action's {@code file_path} and {@code previous_path}. */
        COMMIT
    }
}
