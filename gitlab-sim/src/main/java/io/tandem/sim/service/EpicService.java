package io.tandem.sim.service;

import io.tandem.sim.repository.Epic;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Group epics and their comments. A new or edited comment fires a Note Hook (noteable_type {@code Epic}) to
 * the hooks of the group and its ancestors; as in GitLab, the notes API names an epic by its id, not its iid.
 */
@ApplicationScoped
public class EpicService {

    private final SimStore store;
    private final AccessPolicy access;
    private final NoteService notes;
    private final HookService hooks;
    private final HookPayloads payloads;

    public EpicService(SimStore store, AccessPolicy access, NoteService notes, HookService hooks,
            HookPayloads payloads) {
        this.store = store;
        this.access = access;
        this.notes = notes;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public Epic create(User caller, Group group, ApiParams params) {
        if (!caller.admin && access.groupAccess(caller.id, group) < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
        String title = params.required("title");
        synchronized (store) {
            Epic epic = new Epic();
            epic.id = store.nextEpicId();
            epic.iid = group.epicIids.incrementAndGet();
            epic.groupId = group.id;
            epic.title = title;
            epic.description = params.string("description");
            epic.authorId = caller.id;
            epic.confidential = params.bool("confidential", false);
            List<String> labels = params.strings("labels");
            epic.labels = labels == null ? new ArrayList<>() : new ArrayList<>(labels);
            epic.createdAt = Instant.now();
            epic.updatedAt = epic.createdAt;
            store.epics.put(epic.id, epic);
            return epic;
        }
    }

    public List<Epic> list(Group group, ApiParams params) {
        String state = params.string("state", "all");
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Epic> order = Comparator.comparing((Epic e) -> e.createdAt).thenComparingLong(e -> e.id);
        return SimStore.sorted(store.epics.values(),
                e -> e.groupId == group.id && ("all".equals(state) || e.state.equals(state)),
                ascending ? order : order.reversed());
    }

    public Epic byIid(Group group, long iid) {
        return store.epics.values().stream().filter(e -> e.groupId == group.id && e.iid == iid).findFirst()
                .orElseThrow(() -> ApiError.notFound());
    }

    public Epic byId(Group group, long id) {
        Epic epic = store.epics.get(id);
        if (epic == null || epic.groupId != group.id) {
            throw ApiError.notFound();
        }
        return epic;
    }

    public Note comment(User caller, Group group, Epic epic, ApiParams params) {
        String body = params.required("body");
        boolean internal = params.bool("internal", params.bool("confidential", false));
        if (internal && !caller.admin && access.groupAccess(caller.id, group) < AccessLevels.REPORTER) {
            throw ApiError.forbidden();
        }
        NoteService.checkLength(body);
        synchronized (store) {
            Note note = notes.newNote(caller, "Epic", epic.id, epic.iid, body, null, notes.newDiscussionId());
            note.groupId = group.id;
            note.internal = internal;
            store.notes.put(note.id, note);
            fire(group, epic, note, caller, "create");
            return note;
        }
    }

    /** One of the epic's notes; 404 for a note of another noteable, as GitLab answers. */
    public Note findComment(Epic epic, long noteId) {
        Note note = store.notes.get(noteId);
        if (note == null || !"Epic".equals(note.noteableType) || note.noteableId != epic.id) {
            throw ApiError.notFound("Note");
        }
        return note;
    }

    /** Edits a comment (its author only, or an admin) and fires a Note Hook with action {@code update}. */
    public Note updateComment(User caller, Group group, Epic epic, Note note, ApiParams params) {
        if (note.authorId != caller.id && !caller.admin) {
            throw ApiError.forbidden();
        }
        String body = params.required("body");
        NoteService.checkLength(body);
        synchronized (store) {
            note.body = body;
            note.updatedAt = Instant.now();
            fire(group, epic, note, caller, "update");
            return note;
        }
    }

    /** Deletes a comment: its author, a group Maintainer or an admin. GitLab fires no hook for it. */
    public void deleteComment(User caller, Group group, Note note) {
        if (note.authorId != caller.id && !caller.admin
                && access.groupAccess(caller.id, group) < AccessLevels.MAINTAINER) {
            throw ApiError.forbidden();
        }
        store.notes.remove(note.id);
    }

    private void fire(Group group, Epic epic, Note note, User caller, String action) {
        boolean confidential = note.internal || epic.confidential;
        hooks.fire(group, confidential ? "confidential_note_events" : "note_events",
                confidential ? "Confidential Note Hook" : "Note Hook",
                payloads.epicNote(note, epic, group, caller, action, confidential));
    }

    public List<Note> comments(Epic epic, ApiParams params) {
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Note> order = Comparator.comparing((Note n) -> n.createdAt).thenComparingLong(n -> n.id);
        return SimStore.sorted(store.notes.values(),
                n -> "Epic".equals(n.noteableType) && n.noteableId == epic.id,
                ascending ? order : order.reversed());
    }
}
