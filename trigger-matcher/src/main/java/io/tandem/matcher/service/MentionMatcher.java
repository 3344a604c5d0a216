package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadKey;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.client.GitlabUser;
import io.tandem.matcher.config.MatcherConfig;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.messaging.InvocationPublisher;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.GroupEnablementRepository;
import io.tandem.matcher.repository.ProcessedNoteRepository;
import io.tandem.matcher.repository.ProjectEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns a new comment by a human that mentions an enabled agent's service account into an
 * {@link InvocationRequested}, once per note and agent however often the note is delivered.
 */
@ApplicationScoped
public class MentionMatcher {

    /** Every note Tandem writes carries this hidden marker: Tandem never triggers itself. */
    public static final String TANDEM_MARKER = "<!-- tandem";

    private static final Logger LOG = Logger.getLogger(MentionMatcher.class);

    private final ProjectEnablementRepository projectEnablements;
    private final GroupEnablementRepository groupEnablements;
    private final ProcessedNoteRepository processedNotes;
    private final GitlabClient gitlab;
    private final InvocationPublisher invocations;
    private final AuditPublisher audit;
    private final AgentDefinitionParser parser;

    public MentionMatcher(ProjectEnablementRepository projectEnablements, GroupEnablementRepository groupEnablements,
            ProcessedNoteRepository processedNotes, GitlabClient gitlab, InvocationPublisher invocations,
            AuditPublisher audit, MatcherConfig config) {
        this.projectEnablements = projectEnablements;
        this.groupEnablements = groupEnablements;
        this.processedNotes = processedNotes;
        this.gitlab = gitlab;
        this.invocations = invocations;
        this.audit = audit;
        this.parser = new AgentDefinitionParser(config.definitionMaxBytes());
    }

    public Uni<Void> onNote(NoteEvent note) {
        String skip = skipReason(note);
        if (skip != null) {
            LOG.debugf("note %d: %s", note.noteId(), skip);
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> projectEnablements.enabledAgents(note.thread().projectId()))
                .chain(enabled -> {
                    List<EnabledAgent> mentioned = mentionedAgents(note.body(), enabled);
                    if (mentioned.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return humanRequester(note.author()).chain(requester -> {
                        if (requester == null) {
                            LOG.debugf("note %d: author %s is not a human", note.noteId(), note.author().username());
                            return Uni.createFrom().voidItem();
                        }
                        return Multi.createFrom().iterable(mentioned)
                                .onItem().transformToUniAndConcatenate(target -> trigger(note, requester, target))
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
        if (note.thread() == null || note.thread().projectId() == null) {
            return "not in a project";
        }
        if (note.author() == null || note.author().id() == null && note.author().username() == null) {
            return "no author";
        }
        return null;
    }

    static List<EnabledAgent> mentionedAgents(String body, List<EnabledAgent> enabled) {
        Set<String> usernames = MentionParser.mentions(body);
        return enabled.stream()
                .filter(e -> e.project().hasTrigger(Triggers.MENTION))
                .filter(e -> usernames.contains(e.group().serviceAccountUsername.toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** The author as GitLab knows them, or null for a Tandem service account, a GitLab bot or an unknown user. */
    private Uni<Actor> humanRequester(Actor author) {
        return Panache.withSession(() -> groupEnablements.isServiceAccount(author.id(), author.username()))
                .chain(serviceAccount -> serviceAccount ? Uni.createFrom().<Actor>nullItem()
                        : gitlabUser(author).map(user -> user == null || user.bot() ? null
                                : new Actor(user.id(), user.username(),
                                        author.name() != null ? author.name() : user.name())));
    }

    private Uni<GitlabUser> gitlabUser(Actor author) {
        Uni<GitlabUser> lookup = author.id() != null ? gitlab.user(author.id()) : gitlab.userByUsername(author.username());
        // GitLab being briefly unavailable should not send the note to the dead-letter topic
        return lookup.onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(4);
    }

    private Uni<Void> trigger(NoteEvent note, Actor requester, EnabledAgent target) {
        long agentId = target.agent().id;
        String invocationId = EventIds.derive(Triggers.MENTION, Long.toString(note.noteId()), Long.toString(agentId));
        return Panache.withSession(() -> processedNotes.processed(note.noteId(), agentId))
                .chain(processed -> {
                    if (processed) {
                        LOG.debugf("note %d already triggered agent %d", note.noteId(), agentId);
                        return Uni.createFrom().voidItem();
                    }
                    AgentDefinition definition;
                    try {
                        definition = parser.parse(target.agent().definition);
                    } catch (InvalidDefinitionException e) {
                        LOG.warnf("agent %d has a definition that no longer validates (%s); note %d ignored",
                                agentId, e.getMessage(), note.noteId());
                        return Uni.createFrom().voidItem();
                    }
                    InvocationRequested request = request(note, requester, target, invocationId, definition);
                    // publish first, record after: a crash in between re-publishes the same invocation id,
                    // which consumers drop; the other order could lose the run
                    return invocations.publish(request)
                            .call(() -> audit.publish(matched(request.invocation(), note)))
                            .call(() -> Panache.withTransaction(() -> processedNotes.record(note.noteId(), agentId,
                                    invocationId, note.thread().projectId(), Instant.now())))
                            .invoke(() -> LOG.infof("note %d mentions %s: invocation %s requested", note.noteId(),
                                    target.group().serviceAccountUsername, invocationId));
                });
    }

    static InvocationRequested request(NoteEvent note, Actor requester, EnabledAgent target, String invocationId,
            AgentDefinition definition) {
        Actor serviceAccount = new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername,
                target.agent().name);
        Invocation invocation = new Invocation(invocationId, Triggers.MENTION, target.agent().id, target.agent().name,
                serviceAccount, requester, note.thread(), note.noteId(), note.discussionId(), note.body(),
                note.sourceBranch(), note.defaultBranch(), definition);
        return new InvocationRequested(EventIds.derive("invocation-requested", invocationId), Instant.now(),
                InvocationRequested.VERSION, ThreadKey.of(note.thread()), invocation);
    }

    private static AuditEvent matched(Invocation invocation, NoteEvent note) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("trigger", invocation.trigger());
        data.put("agentId", Long.toString(invocation.agentId()));
        data.put("agentName", invocation.agentName());
        data.put("noteId", Long.toString(note.noteId()));
        data.put("thread", ThreadKey.of(note.thread()));
        return AuditEvents.of("trigger.matched", note.thread().projectId(), invocation.invocationId(),
                invocation.requester().username(), invocation.serviceAccount().username(), invocation.invocationId(),
                data, invocation.invocationId());
    }
}
