package io.tandem.publisher.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.stream.Stream;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Note;

/**
 * Notes in issue, merge request and epic threads, read and written as a service account through gitlab4j-api.
 * Every method blocks: call it from a worker thread, never from the event loop. Epic methods need the epic's
 * global id: {@link #locate} it first.
 */
@ApplicationScoped
public class ThreadNotes {

    /** A note as far as the publisher cares: its id and text. */
    public record WrittenNote(long id, String body) {
    }

    private final GitlabApis apis;

    public ThreadNotes(GitlabApis apis) {
        this.apis = apis;
    }

    /**
     * The thread with everything the notes API needs: for an epic whose global id is unknown (some payloads carry
     * only its iid), the id is read from {@code GET /groups/:group/epics/:iid}.
     */
    public NoteThread locate(String token, NoteThread thread) {
        if (!thread.epic() || thread.noteableId() != null) {
            return thread;
        }
        GitLabApi api = api(token);
        try {
            return thread.withNoteableId(api.getEpicsApi().getEpic(thread.group(), thread.iid()).getId());
        } catch (GitLabApiException e) {
            throw failure("reading " + thread, e);
        }
    }

    /** The first note by {@code authorId} whose body starts with {@code marker}, if the thread has one. */
    public Optional<WrittenNote> findByMarker(String token, NoteThread thread, long authorId, String marker) {
        GitLabApi api = api(token);
        try (Stream<Note> notes = stream(api, thread)) {
            return notes
                    .filter(n -> n.getAuthor() != null && n.getAuthor().getId() != null
                            && n.getAuthor().getId() == authorId)
                    .filter(n -> n.getBody() != null && n.getBody().startsWith(marker))
                    .findFirst()
                    .map(n -> new WrittenNote(n.getId(), n.getBody()));
        } catch (GitLabApiException e) {
            throw failure("listing the notes of " + thread, e);
        }
    }

    public WrittenNote create(String token, NoteThread thread, String body) {
        GitLabApi api = api(token);
        try {
            Note note = switch (thread.noteableType()) {
                case NoteThread.ISSUE -> api.getNotesApi().createIssueNote(thread.projectId(), thread.iid(), body);
                case NoteThread.EPIC -> api.getNotesApi().createEpicNote(thread.group(), epicId(thread), body);
                default -> api.getNotesApi().createMergeRequestNote(thread.projectId(), thread.iid(), body, null,
                        null);
            };
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            throw failure("creating a note on " + thread, e);
        }
    }

    /**
     * Creates the note as a reply in discussion {@code discussionId} of an issue or merge request (so an answer
     * sits under the comment it answers, on its diff line if it has one), or as a plain note when there is no
     * discussion to answer in, the thread is an epic (the legacy epic API has no discussion replies) or the
     * discussion is gone.
     */
    public WrittenNote create(String token, NoteThread thread, String discussionId, String body) {
        if (discussionId == null || thread.epic()) {
            return create(token, thread, body);
        }
        GitLabApi api = api(token);
        try {
            Note note = NoteThread.ISSUE.equals(thread.noteableType())
                    ? api.getDiscussionsApi().addIssueThreadNote(thread.projectId(), thread.iid(), discussionId,
                            body, null)
                    : api.getDiscussionsApi().addMergeRequestThreadNote(thread.projectId(), thread.iid(),
                            discussionId, body, null);
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == 404) {
                // the asking comment was deleted: the answer still belongs in the thread
                return create(token, thread, body);
            }
            throw failure("replying in discussion " + discussionId + " of " + thread, e);
        }
    }

    public WrittenNote update(String token, NoteThread thread, long noteId, String body) {
        GitLabApi api = api(token);
        try {
            Note note = switch (thread.noteableType()) {
                case NoteThread.ISSUE -> api.getNotesApi().updateIssueNote(thread.projectId(), thread.iid(), noteId,
                        body);
                case NoteThread.EPIC -> api.getNotesApi().updateEpicNote(thread.group(), epicId(thread), noteId,
                        body);
                default -> api.getNotesApi().updateMergeRequestNote(thread.projectId(), thread.iid(), noteId, body);
            };
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            throw failure("updating note " + noteId + " on " + thread, e);
        }
    }

    private GitLabApi api(String token) {
        return apis.as(token);
    }

    private static Stream<Note> stream(GitLabApi api, NoteThread thread) throws GitLabApiException {
        return switch (thread.noteableType()) {
            case NoteThread.ISSUE -> api.getNotesApi().getIssueNotesStream(thread.projectId(), thread.iid());
            case NoteThread.EPIC -> api.getNotesApi().getEpicNotesStream(thread.group(), epicId(thread));
            default -> api.getNotesApi().getMergeRequestNotesStream(thread.projectId(), thread.iid());
        };
    }

    private static Long epicId(NoteThread thread) {
        if (thread.noteableId() == null) {
            throw new IllegalStateException(thread + " is not located: its epic id is unknown");
        }
        return thread.noteableId();
    }

    private static GitlabWriteException failure(String what, GitLabApiException e) {
        return new GitlabWriteException("GitLab refused " + what + ": " + e.getMessage(), e.getHttpStatus(), e);
    }
}
