package io.tandem.sim.service;

import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.NotePosition;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Comments and threads (discussions) on issues and merge requests, including diff notes. Each create or
 * edit fires a Note Hook, or a Confidential Note Hook for internal notes and notes on confidential issues.
 */
@ApplicationScoped
public class NoteService {

    private final SimStore store;
    private final AccessPolicy access;
    private final HookService hooks;
    private final HookPayloads payloads;
    private final DiffPositions positions;
    private final SecureRandom random = new SecureRandom();

    public NoteService(SimStore store, AccessPolicy access, HookService hooks, HookPayloads payloads,
            DiffPositions positions) {
        this.positions = positions;
        this.store = store;
        this.access = access;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public Note createOnIssue(User caller, Project project, Issue issue, ApiParams params) {
        checkNotLocked(caller, project, issue);
        return create(caller, project, "Issue", issue.id, issue.iid, params, null, newDiscussionId(), null);
    }

    public Note createOnMergeRequest(User caller, Project project, MergeRequest mr, ApiParams params) {
        return create(caller, project, "MergeRequest", mr.id, mr.iid, params, null, newDiscussionId(), null);
    }

    /** POST /issues/:iid/discussions: a thread whose first note is a {@code DiscussionNote}. */
    public Note startIssueDiscussion(User caller, Project project, Issue issue, ApiParams params) {
        checkNotLocked(caller, project, issue);
        return create(caller, project, "Issue", issue.id, issue.iid, params, "DiscussionNote", newDiscussionId(), null);
    }

    /**
     * POST /merge_requests/:iid/discussions: a {@code DiffNote} when a {@code position} is given (checked
     * against the repository, as GitLab does), else a {@code DiscussionNote}.
     */
    public Note startMergeRequestDiscussion(User caller, Project project, MergeRequest mr, ApiParams params) {
        NotePosition position = positions.parse(project, params.raw("position"));
        return create(caller, project, "MergeRequest", mr.id, mr.iid, params,
                position == null ? "DiscussionNote" : "DiffNote", newDiscussionId(), position);
    }

    /** POST .../discussions/:discussion_id/notes: a reply, with the thread's type and position. */
    public Note reply(User caller, Project project, String noteableType, long noteableId, long noteableIid,
            String discussionId, ApiParams params) {
        List<Note> thread = discussion(project, noteableType, noteableId, discussionId);
        Note first = thread.get(0);
        if ("Issue".equals(noteableType)) {
            checkNotLocked(caller, project, store.issues.get(noteableId));
        }
        String type = first.type == null ? "DiscussionNote" : first.type;
        if (first.type == null) {
            // replying to a standalone comment turns it into a thread, as in GitLab
            first.type = type;
        }
        return create(caller, project, noteableType, noteableId, noteableIid, params, type, discussionId, first.position);
    }

    private void checkNotLocked(User caller, Project project, Issue issue) {
        if (issue.discussionLocked && access.effectiveProjectLevel(caller, project) < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
    }

    private Note create(User caller, Project project, String noteableType, long noteableId, long noteableIid,
            ApiParams params, String type, String discussionId, NotePosition position) {
        String body = params.required("body");
        boolean internal = params.bool("internal", params.bool("confidential", false));
        int level = access.effectiveProjectLevel(caller, project);
        if (level < AccessLevels.GUEST) {
            throw ApiError.forbidden();
        }
        if (internal && level < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
        checkLength(body);
        synchronized (store) {
            Note note = newNote(caller, noteableType, noteableId, noteableIid, body, type, discussionId);
            note.projectId = project.id;
            note.internal = internal;
            note.position = position;
            store.notes.put(note.id, note);
            project.lastActivityAt = note.createdAt;
            fire(project, note, caller, "create");
            return note;
        }
    }

    static void checkLength(String body) {
        if (body.length() > 1_000_000) {
            throw ApiError.badRequest("Note {:note=>[\"is too long (maximum is 1000000 characters)\"]}");
        }
    }

    Note newNote(User caller, String noteableType, long noteableId, long noteableIid, String body, String type,
            String discussionId) {
        Note note = new Note();
        note.id = store.nextNoteId();
        note.body = body;
        note.authorId = caller.id;
        note.noteableType = noteableType;
        note.noteableId = noteableId;
        note.noteableIid = noteableIid;
        note.type = type;
        note.discussionId = discussionId;
        note.createdAt = Instant.now();
        note.updatedAt = note.createdAt;
        return note;
    }

    String newDiscussionId() {
        return HexFormat.of().formatHex(randomBytes(20));
    }

    public List<Note> list(Project project, String type, long noteableId, ApiParams params) {
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Note> order = Comparator.comparing((Note n) -> n.createdAt).thenComparingLong(n -> n.id);
        return SimStore.sorted(store.notes.values(),
                n -> n.projectId == project.id && n.noteableType.equals(type) && n.noteableId == noteableId,
                ascending ? order : order.reversed());
    }

    /** The noteable's threads, oldest first; each is its notes, oldest first. */
    public List<List<Note>> discussions(Project project, String type, long noteableId) {
        Comparator<Note> order = Comparator.comparing((Note n) -> n.createdAt).thenComparingLong(n -> n.id);
        return threads(SimStore.sorted(store.notes.values(),
                n -> n.projectId == project.id && n.noteableType.equals(type) && n.noteableId == noteableId, order));
    }

    public List<Note> discussion(Project project, String type, long noteableId, String discussionId) {
        return discussions(project, type, noteableId).stream().filter(t -> t.get(0).discussionId.equals(discussionId))
                .findFirst().orElseThrow(() -> ApiError.notFound("Discussion"));
    }

    /** Groups notes (already in order) by discussion id, keeping the order of each thread's first note. */
    static List<List<Note>> threads(List<Note> ordered) {
        Map<String, List<Note>> byId = new LinkedHashMap<>();
        ordered.forEach(n -> byId.computeIfAbsent(n.discussionId, k -> new ArrayList<>()).add(n));
        return new ArrayList<>(byId.values());
    }

    public Note get(Project project, String type, long noteableId, long noteId) {
        Note note = store.notes.get(noteId);
        if (note == null || note.projectId != project.id || !note.noteableType.equals(type) || note.noteableId != noteableId) {
            throw ApiError.notFound("Note");
        }
        return note;
    }

    public Note update(User caller, Project project, Note note, ApiParams params) {
        if (note.authorId != caller.id && !caller.admin) {
            throw ApiError.forbidden();
        }
        String body = params.required("body");
        synchronized (store) {
            note.body = body;
            note.updatedAt = Instant.now();
            fire(project, note, caller, "update");
            return note;
        }
    }

    public void delete(User caller, Project project, Note note) {
        if (note.authorId != caller.id && access.effectiveProjectLevel(caller, project) < AccessLevels.MAINTAINER) {
            throw ApiError.forbidden();
        }
        store.notes.remove(note.id);
    }

    private void fire(Project project, Note note, User caller, String action) {
        if (payloads.confidentialNote(note)) {
            hooks.fire(project, "confidential_note_events", "Confidential Note Hook", payloads.note(note, caller, action));
        } else {
            hooks.fire(project, "note_events", "Note Hook", payloads.note(note, caller, action));
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
