package io.tandem.sim.repository;

/** One entry of a repository tree as GitLab lists it: {@code type} is {@code blob}, {@code tree} or {@code commit}. */
public record TreeEntry(String id, String name, String type, String path, String mode) {
}
