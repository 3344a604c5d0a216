package io.tandem.publisher.client;

import java.util.Set;

/** A project thread that takes notes through the Notes API: an issue or a merge request. */
public record NoteThread(long projectId, String noteableType, long iid) {

    public static final String ISSUE = "Issue";
    public static final String MERGE_REQUEST = "MergeRequest";
    private static final Set<String> SUPPORTED = Set.of(ISSUE, MERGE_REQUEST);

    /** Epics, snippets and other work items are not written to yet. */
    public static boolean supports(Long projectId, String noteableType) {
        return projectId != null && SUPPORTED.contains(noteableType);
    }
}
