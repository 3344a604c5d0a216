package io.tandem.publisher.client;

import io.tandem.publisher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.stream.Stream;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Note;

/**
 * Notes in issue and merge request threads, read and written as a service account through gitlab4j-api.
 * Every method blocks: call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class ThreadNotes {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 20_000;

    /** A note as far as the publisher cares: its id and text. */
    public record WrittenNote(long id, String body) {
    }

    private final TandemConfig config;

    public ThreadNotes(TandemConfig config) {
        this.config = config;
    }

    /** The first note by {@code authorId} whose body starts with {@code marker}, if the thread has one. */
    public Optional<WrittenNote> findByMarker(String token, NoteThread thread, long authorId, String marker) {
        try (GitLabApi api = api(token); Stream<Note> notes = stream(api, thread)) {
            return notes
                    .filter(n -> n.getAuthor() != null && n.getAuthor().getId() != null
                            && n.getAuthor().getId() == authorId)
                    .filter(n -> n.getBody() != null && n.getBody().startsWith(marker))
                    .findFirst()
                    .map(n -> new WrittenNote(n.getId(), n.getBody()));
        } catch (GitLabApiException e) {
            throw failure("listing the notes of " + describe(thread), e);
        }
    }

    public WrittenNote create(String token, NoteThread thread, String body) {
        try (GitLabApi api = api(token)) {
            Note note = NoteThread.ISSUE.equals(thread.noteableType())
                    ? api.getNotesApi().createIssueNote(thread.projectId(), thread.iid(), body)
                    : api.getNotesApi().createMergeRequestNote(thread.projectId(), thread.iid(), body, null, null);
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            throw failure("creating a note on " + describe(thread), e);
        }
    }

    /**
     * Creates the note as a reply in discussion {@code discussionId} of a merge request (so an answer about a diff
     * line sits on that line), or as a plain note when there is no discussion to answer in.
     */
    public WrittenNote create(String token, NoteThread thread, String discussionId, String body) {
        if (discussionId == null || !NoteThread.MERGE_REQUEST.equals(thread.noteableType())) {
            return create(token, thread, body);
        }
        try (GitLabApi api = api(token)) {
            Note note = api.getDiscussionsApi().addMergeRequestThreadNote(thread.projectId(), thread.iid(),
                    discussionId, body, null);
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            throw failure("replying in discussion " + discussionId + " of " + describe(thread), e);
        }
    }

    public WrittenNote update(String token, NoteThread thread, long noteId, String body) {
        try (GitLabApi api = api(token)) {
            Note note = NoteThread.ISSUE.equals(thread.noteableType())
                    ? api.getNotesApi().updateIssueNote(thread.projectId(), thread.iid(), noteId, body)
                    : api.getNotesApi().updateMergeRequestNote(thread.projectId(), thread.iid(), noteId, body);
            return new WrittenNote(note.getId(), note.getBody());
        } catch (GitLabApiException e) {
            throw failure("updating note " + noteId + " on " + describe(thread), e);
        }
    }

    private GitLabApi api(String token) {
        GitLabApi api = new GitLabApi(config.gitlab().url(), token);
        api.setRequestTimeout(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        return api;
    }

    private static Stream<Note> stream(GitLabApi api, NoteThread thread) throws GitLabApiException {
        return NoteThread.ISSUE.equals(thread.noteableType())
                ? api.getNotesApi().getIssueNotesStream(thread.projectId(), thread.iid())
                : api.getNotesApi().getMergeRequestNotesStream(thread.projectId(), thread.iid());
    }

    private static String describe(NoteThread thread) {
        return thread.noteableType() + " " + thread.projectId() + "#" + thread.iid();
    }

    private static GitlabWriteException failure(String what, GitLabApiException e) {
        return new GitlabWriteException("GitLab refused " + what + ": " + e.getMessage(), e.getHttpStatus(), e);
    }
}
