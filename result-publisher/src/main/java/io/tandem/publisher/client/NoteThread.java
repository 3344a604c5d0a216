package io.tandem.publisher.client;

import io.tandem.events.ThreadRef;
import java.util.Set;

/**
 * A thread that takes notes: an issue or merge request of a project (Notes API), or an epic of a group (the
 * legacy epic notes API, which names the epic by its global id, not its iid).
 *
 * @param groupId the epic's group, if known by id
 * @param groupPath the epic's group, if known only by its full path
 * @param noteableId for an epic its global id once known; null means it has to be read by iid first
 */
public record NoteThread(Long projectId, Long groupId, String groupPath, String noteableType, long iid,
        Long noteableId) {

    public static final String ISSUE = "Issue";
    public static final String MERGE_REQUEST = "MergeRequest";
    public static final String EPIC = "Epic";
    private static final Set<String> PROJECT_THREADS = Set.of(ISSUE, MERGE_REQUEST);

    public static NoteThread of(ThreadRef thread) {
        return new NoteThread(thread.projectId(), thread.groupId(), thread.groupPath(), thread.noteableType(),
                thread.noteableIid(), thread.noteableId());
    }

    /** Issues and merge requests of a project, and epics of a group; snippets and other work items are not. */
    public static boolean supports(ThreadRef thread) {
        if (EPIC.equals(thread.noteableType())) {
            return thread.groupId() != null || thread.groupPath() != null;
        }
        return thread.projectId() != null && PROJECT_THREADS.contains(thread.noteableType());
    }

    public boolean epic() {
        return EPIC.equals(noteableType);
    }

    /** The group as gitlab4j takes it: its id, else its path (which gitlab4j URL-encodes). */
    public Object group() {
        return groupId != null ? groupId : groupPath;
    }

    /** The same thread with the epic's global id known. */
    public NoteThread withNoteableId(long id) {
        return new NoteThread(projectId, groupId, groupPath, noteableType, iid, id);
    }

    @Override
    public String toString() {
        return epic() ? "Epic " + group() + "&" + iid : noteableType + " " + projectId + "#" + iid;
    }
}
