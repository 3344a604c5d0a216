package io.tandem.events;

/**
 * A line of a merge request's diff, as GitLab's {@code position} of a diff note names it. Lines are null on
 * the side where the line does not exist (an added line has no old line).
 */
public record DiffPosition(String baseSha, String startSha, String headSha, String oldPath, String newPath,
        Integer oldLine, Integer newLine, String positionType) {
}
