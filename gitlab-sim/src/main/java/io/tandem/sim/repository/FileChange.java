package io.tandem.sim.repository;

/** One action of a commit: create, update, delete, move or chmod of a file. */
public record FileChange(String action, String filePath, String previousPath, byte[] content, Boolean executable) {
}
