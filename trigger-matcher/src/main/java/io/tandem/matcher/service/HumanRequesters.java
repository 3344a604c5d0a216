package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.client.GitlabUser;
import io.tandem.matcher.repository.GroupEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Only humans start agents: not Tandem's service accounts, not GitLab bots, not users GitLab does not know. */
@ApplicationScoped
public class HumanRequesters {

    private final GroupEnablementRepository groupEnablements;
    private final GitlabClient gitlab;

    public HumanRequesters(GroupEnablementRepository groupEnablements, GitlabClient gitlab) {
        this.groupEnablements = groupEnablements;
        this.gitlab = gitlab;
    }

    /** The actor as GitLab knows them, or null if they are not a human. */
    public Uni<Actor> human(Actor actor) {
        if (actor == null || actor.id() == null && actor.username() == null) {
            return Uni.createFrom().nullItem();
        }
        return Panache.withSession(() -> groupEnablements.isServiceAccount(actor.id(), actor.username()))
                .chain(serviceAccount -> serviceAccount ? Uni.createFrom().<Actor>nullItem()
                        : gitlabUser(actor).map(user -> user == null || user.bot() ? null
                                : new Actor(user.id(), user.username(),
                                        actor.name() != null ? actor.name() : user.name())));
    }

    private Uni<GitlabUser> gitlabUser(Actor actor) {
        Uni<GitlabUser> lookup = actor.id() != null ? gitlab.user(actor.id()) : gitlab.userByUsername(actor.username());
        // GitLab being briefly unavailable should not send the event to the dead-letter topic
        return lookup.onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(4);
    }
}
