package io.tandem.identity.messaging;

/**
 * A failure's chain of causes in one line, for a log line that must say why a record failed. Only class names
 * and messages: this service's own exceptions never carry a token, and gitlab4j's and Jersey's carry URLs and
 * GitLab's answer, never the PRIVATE-TOKEN header.
 */
final class Failures {

    private static final int MAX_CAUSES = 5;

    private Failures() {
    }

    static String describe(Throwable failure) {
        StringBuilder line = new StringBuilder();
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (depth > 0) {
                line.append(" <- caused by ");
            }
            line.append(current.getClass().getName());
            if (current.getMessage() != null) {
                line.append(": ").append(current.getMessage());
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return line.toString();
    }
}
