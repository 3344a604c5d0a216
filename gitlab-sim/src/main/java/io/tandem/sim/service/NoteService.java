package io.tandem.sim.service;

import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Comments on issues and merge requests. Each create or edit fires a Note Hook, or a Confidential Note
 * Hook for internal notes and notes on confidential issues.
 */
@ApplicationScoped
public class NoteService {

    private final SimStore store;
    private final AccessPolicy access;
    private final HookService hooks;
    private final HookPayloads payloads;
    private final SecureRandom random = new SecureRandom();

    public NoteService(SimStore store, AccessPolicy access, HookService hooks, HookPayloads payloads) {
        this.store = store;
        this.access = access;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public Note createOnIssue(User caller, Project project, Issue issue, ApiParams params) {
        if (issue.discussionLocked && access.effectiveProjectLevel(caller, project) < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
        return create(caller, project, "Issue", issue.id, issue.iid, params);
    }

    public Note createOnMergeRequest(User caller, Project project, MergeRequest mr, ApiParams params) {
        return create(caller, project, "MergeRequest", mr.id, mr.iid, params);
    }

    private Note create(User caller, Project project, String type, long noteableId, long noteableIid, ApiParams params) {
        String body = params.required("body");
        boolean internal = params.bool("internal", params.bool("confidential", false));
        int level = access.effectiveProjectLevel(caller, project);
        if (level < AccessLevels.GUEST) {
            throw ApiError.forbidden();
        }
        if (internal && level < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
        if (body.length() > 1_000_000) {
            throw ApiError.badRequest("Note {:note=>[\"is too long (maximum is 1000000 characters)\"]}");
        }
        synchronized (store) {
            Note note = new Note();
            note.id = store.nextNoteId();
            note.projectId = project.id;
            note.body = body;
            note.authorId = caller.id;
            note.noteableType = type;
            note.noteableId = noteableId;
            note.noteableIid = noteableIid;
            note.internal = internal;
            note.discussionId = HexFormat.of().formatHex(randomBytes(20));
            note.createdAt = Instant.now();
            note.updatedAt = note.createdAt;
            store.notes.put(note.id, note);
            project.lastActivityAt = note.createdAt;
            fire(project, note, caller, "create");
            return note;
        }
    }

    public List<Note> list(Project project, String type, long noteableId, ApiParams params) {
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Note> order = Comparator.comparing((Note n) -> n.createdAt).thenComparingLong(n -> n.id);
        return SimStore.sorted(store.notes.values(),
                n -> n.projectId == project.id && n.noteableType.equals(type) && n.noteableId == noteableId,
                ascending ? order : order.reversed());
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
