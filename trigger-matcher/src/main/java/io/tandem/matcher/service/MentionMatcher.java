package io.tandem.matcher.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.NoteEvent;
import io.tandem.matcher.repository.EnabledAgent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns a new comment by a human that mentions an enabled agent's service account into an
 * {@link InvocationRequested} (or a queued follow-up, see {@link RunScheduler}), once per note and agent however
 * often the note is delivered. A comment that gives the account a verb ({@code stop}, {@code retry},
 * {@code status}) is a command for {@link ThreadCommands} instead, not a mention. Comments on epics address the
 * agents of the epic's top-level group, placed by {@link RunPlacement}.
 */
@ApplicationScoped
public class MentionMatcher {

    /** Every note Tandem writes carries this hidden marker: Tandem never triggers itself. */
    public static final String TANDEM_MARKER = "<!-- tandem";

    private static final Logger LOG = Logger.getLogger(MentionMatcher.class);

    private final RunPlacement placement;
    private final HumanRequesters humans;
    private final TriggerStarter starter;
    private final ThreadCommands commands;

    public MentionMatcher(RunPlacement placement, HumanRequesters humans, TriggerStarter starter,
            ThreadCommands commands) {
        this.placement = placement;
        this.humans = humans;
        this.starter = starter;
        this.commands = commands;
    }

    /** @param acceptedAt when Tandem accepted the webhook */
    public Uni<Void> onNote(NoteEvent note, Instant acceptedAt) {
        String skip = skipReason(note);
        if (skip != null) {
            LOG.debugf("note %d: %s", note.noteId(), skip);
            return Uni.createFrom().voidItem();
        }
        return placement.enabledAgents(note.thread())
                .chain(enabled -> {
                    List<Addressed> addressed = addressedAgents(note.body(), enabled);
                    if (addressed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return humans.human(note.author()).chain(requester -> {
                        if (requester == null) {
                            LOG.debugf("note %d: author %s is not a human", note.noteId(), note.author().username());
                            return Uni.createFrom().voidItem();
                        }
                        return Multi.createFrom().iterable(addressed)
                                .onItem().transformToUniAndConcatenate(a -> a.verb() != null
                                        ? commands.handle(note, acceptedAt, requester, a.target(), a.verb())
                                        : placement.runProject(note.thread(), a.target())
                                                .chain(project -> starter.start(a.target(),
                                                        invocation(note, requester, a.target(), project)
                                                                .withTriggeredAt(acceptedAt),
                                                        note.noteId()))
                                                .replaceWithVoid())
                                .collect().last()
                                .replaceWithVoid();
                    });
                });
    }

    /** Why the note can never trigger anything, or null if it might. */
    static String skipReason(NoteEvent note) {
        if (!"create".equals(note.action())) {
            return "not a new comment (" + note.action() + ")";
        }
        if (note.system()) {
            return "system note";
        }
        if (note.body() == null || note.body().isBlank()) {
            return "empty comment";
        }
        if (note.body().contains(TANDEM_MARKER)) {
            return "written by Tandem";
        }
        if (note.thread() == null || note.thread().projectId() == null && note.thread().groupId() == null
                && note.thread().groupPath() == null) {
            return "neither in a project nor in a group";
        }
        if (MentionParser.mentions(note.body()).isEmpty()) {
            return "mentions nobody";
        }
        if (note.author() == null || note.author().id() == null && note.author().username() == null) {
            return "no author";
        }
        return null;
    }

    /** An agent the comment addresses, with the verb it gives it (null for a plain mention). */
    record Addressed(EnabledAgent target, String verb) {
    }

    /**
     * The agents whose service account the comment mentions: with a verb whatever the agent's triggers (a verb
     * is about runs that exist), without one only where the {@code mention} trigger is enabled.
     */
    static List<Addressed> addressedAgents(String body, List<EnabledAgent> enabled) {
        Set<String> usernames = MentionParser.mentions(body);
        List<Addressed> addressed = new ArrayList<>();
        for (EnabledAgent target : enabled) {
            String username = target.group().serviceAccountUsername;
            if (!usernames.contains(username.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String verb = CommandParser.verb(body, username);
            if (verb != null || target.project().hasTrigger(Triggers.MENTION)) {
                addressed.add(new Addressed(target, verb));
            }
        }
        return addressed;
    }

    static Invocation invocation(NoteEvent note, Actor requester, EnabledAgent target, RunProject project) {
        String invocationId = EventIds.derive(Triggers.MENTION, Long.toString(note.noteId()),
                Long.toString(target.agent().id));
        Actor serviceAccount = new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername,
                target.agent().name);
        return new Invocation(invocationId, Triggers.MENTION, target.agent().id, target.agent().name,
                serviceAccount, requester, note.thread(), note.noteId(), note.discussionId(), note.body(),
                note.sourceBranch(), project.defaultBranch() != null ? project.defaultBranch() : note.defaultBranch(),
                null, note.position(), project.id(), project.path());
    }
}
