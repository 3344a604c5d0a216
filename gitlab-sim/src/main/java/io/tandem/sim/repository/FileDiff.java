package io.tandem.sim.repository;

/**
 * One file's change between two commits, as GitLab reports it: {@code diff} is the unified diff from the
 * first {@code @@} hunk header on (no {@code diff --git}/{@code ---}/{@code +++} lines), modes are octal
 * strings and {@code "0"} for a missing side.
 */
public record FileDiff(String oldPath, String newPath, String aMode, String bMode, boolean newFile,
        boolean renamedFile, boolean deletedFile, String diff) {
}
