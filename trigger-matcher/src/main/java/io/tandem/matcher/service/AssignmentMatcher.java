package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.ProjectEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Starts an agent when a human assigns its service account to an issue or merge request ({@code assign}) or asks
 * it for a review ({@code assign_reviewer}). Only a NEW appearance counts: the account is in the event's current
 * assignees (reviewers) and not in its previous ones, so later updates of a still-assigned issue start nothing.
 *
 * <p>The invocation id is {@code derive(trigger, projectId, noteableType, iid, agentId, eventId)}. webhook-ingest
 * derives {@code eventId} from GitLab's delivery (its {@code Idempotency-Key}), so every redelivery of one change
 * yields the same id and is dropped, while assigning the account again later is a new delivery and a new run.
 */
@ApplicationScoped
public class AssignmentMatcher {

    private static final Logger LOG = Logger.getLogger(AssignmentMatcher.class);

    private final ProjectEnablementRepository projectEnablements;
    private final HumanRequesters humans;
    private final TriggerStarter starter;

    public AssignmentMatcher(ProjectEnablementRepository projectEnablements, HumanRequesters humans,
            TriggerStarter starter) {
        this.projectEnablements = projectEnablements;
        this.humans = humans;
        this.starter = starter;
    }

    /** @param acceptedAt when Tandem accepted the webhook */
    public Uni<Void> onIssue(IssueEvent event, Instant acceptedAt) {
        return onChange(event.eventId(), event.thread(), event.actor(),
                newlyAdded(event.previousAssignees(), event.currentAssignees()), List.of(), null,
                event.defaultBranch(), acceptedAt);
    }

    /** @param acceptedAt when Tandem accepted the webhook */
    public Uni<Void> onMergeRequest(MergeRequestEvent event, Instant acceptedAt) {
        return onChange(event.eventId(), event.thread(), event.actor(),
                newlyAdded(event.previousAssignees(), event.currentAssignees()),
                newlyAdded(event.previousReviewers(), event.currentReviewers()), event.sourceBranch(), null,
                acceptedAt);
    }

    private Uni<Void> onChange(String eventId, ThreadRef thread, Actor actor, List<Actor> assigned,
            List<Actor> reviewers, String sourceBranch, String defaultBranch, Instant acceptedAt) {
        if (thread == null || thread.projectId() == null || assigned.isEmpty() && reviewers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> projectEnablements.enabledAgents(thread.projectId())).chain(enabled -> {
            List<Match> matches = matches(enabled, assigned, reviewers);
            if (matches.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return humans.human(actor).chain(requester -> {
                if (requester == null) {
                    LOG.debugf("%s: %s is not a human; assignment ignored", eventId,
                            actor == null ? "nobody" : actor.username());
                    return Uni.createFrom().voidItem();
                }
                return Multi.createFrom().iterable(matches)
                        .onItem().transformToUniAndConcatenate(match -> starter.start(match.target(),
                                invocation(eventId, thread, requester, match, sourceBranch, defaultBranch)
                                        .withTriggeredAt(acceptedAt), null))
                        .collect().last()
                        .replaceWithVoid();
            });
        });
    }

    record Match(EnabledAgent target, String trigger) {
    }

    /** Per agent one trigger: assigning it and asking it for a review in one change is one run. */
    static List<Match> matches(List<EnabledAgent> enabled, List<Actor> assigned, List<Actor> reviewers) {
        List<Match> matches = new ArrayList<>();
        for (EnabledAgent target : enabled) {
            Actor account = new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername, null);
            if (target.project().hasTrigger(Triggers.ASSIGN) && contains(assigned, account)) {
                matches.add(new Match(target, Triggers.ASSIGN));
            } else if (target.project().hasTrigger(Triggers.ASSIGN_REVIEWER) && contains(reviewers, account)) {
                matches.add(new Match(target, Triggers.ASSIGN_REVIEWER));
            }
        }
        return matches;
    }

    /** Who is in {@code current} and not in {@code previous}. */
    static List<Actor> newlyAdded(List<Actor> previous, List<Actor> current) {
        if (current == null) {
            return List.of();
        }
        List<Actor> before = previous == null ? List.of() : previous;
        return current.stream().filter(actor -> actor != null && !contains(before, actor)).toList();
    }

    /** The same user: by id when both have one (payloads of older GitLab versions lack it), else by username. */
    static boolean contains(List<Actor> actors, Actor wanted) {
        for (Actor actor : actors) {
            if (actor == null) {
                continue;
            }
            if (actor.id() != null && wanted.id() != null) {
                if (actor.id().equals(wanted.id())) {
                    return true;
                }
            } else if (actor.username() != null && wanted.username() != null
                    && actor.username().toLowerCase(Locale.ROOT).equals(wanted.username().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Invocation invocation(String eventId, ThreadRef thread, Actor requester, Match match,
            String sourceBranch, String defaultBranch) {
        EnabledAgent target = match.target();
        long agentId = target.agent().id;
        String invocationId = EventIds.derive(match.trigger(), Long.toString(thread.projectId()),
                thread.noteableType(), Long.toString(thread.noteableIid()), Long.toString(agentId), eventId);
        Actor serviceAccount = new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername,
                target.agent().name);
        // AI_FLOW_INPUT is the issue's or merge request's IID, as GitLab's own flows get it
        return new Invocation(invocationId, match.trigger(), agentId, target.agent().name, serviceAccount, requester,
                thread, 0L, null, Long.toString(thread.noteableIid()), sourceBranch, defaultBranch, null, null,
                thread.projectId(), thread.projectPath());
    }
}
