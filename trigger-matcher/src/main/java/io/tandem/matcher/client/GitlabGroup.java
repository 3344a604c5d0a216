package io.tandem.matcher.client;

/** A GitLab group; {@code parentId} is null for a top-level group. */
public record GitlabGroup(long id, String fullPath, Long parentId) {

    public boolean topLevel() {
        return parentId == null;
    }
}
