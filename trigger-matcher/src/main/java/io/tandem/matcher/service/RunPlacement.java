package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.ProjectEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Which agents a comment's thread can address, and in which project each runs. A project thread (issue, merge
 * request) has its own project. A group-level thread (an epic) has none: an agent runs there in the OLDEST project
 * (lowest enablement id) of the epic's top-level group where it is enabled with the {@code mention} trigger, so the
 * choice is stable and made by the group's own Maintainers.
 */
@ApplicationScoped
public class RunPlacement {

    private static final Logger LOG = Logger.getLogger(RunPlacement.class);

    private final ProjectEnablementRepository projectEnablements;
    private final GitlabClient gitlab;

    public RunPlacement(ProjectEnablementRepository projectEnablements, GitlabClient gitlab) {
        this.projectEnablements = projectEnablements;
        this.gitlab = gitlab;
    }

    /** The agents enabled for the thread: each once, with the enablement of the project it runs in. */
    public Uni<List<EnabledAgent>> enabledAgents(ThreadRef thread) {
        if (thread.projectId() != null) {
            return Panache.withSession(() -> projectEnablements.enabledAgents(thread.projectId()));
        }
        Object group = thread.groupId() != null ? thread.groupId() : thread.groupPath();
        return retried(gitlab.topLevelGroupId(group)).chain(topLevelGroupId -> {
            if (topLevelGroupId == null) {
                LOG.infof("group %s of %s is unknown to GitLab", group, thread.webUrl());
                return Uni.createFrom().item(List.<EnabledAgent>of());
            }
            return Panache.<List<EnabledAgent>>withSession(
                    () -> projectEnablements.enabledAgentsInGroup(topLevelGroupId))
                    .map(RunPlacement::oldestMentionEnablements);
        });
    }

    /** Where the agent runs for this thread. */
    public Uni<RunProject> runProject(ThreadRef thread, EnabledAgent target) {
        if (thread.projectId() != null) {
            return Uni.createFrom().item(new RunProject(thread.projectId(), thread.projectPath(), null));
        }
        return retried(gitlab.project(target.project().projectId))
                .map(project -> new RunProject(project.id(), project.pathWithNamespace(), project.defaultBranch()));
    }

    /** Per agent its first enablement with the {@code mention} trigger, given enablements oldest first. */
    static List<EnabledAgent> oldestMentionEnablements(List<EnabledAgent> oldestFirst) {
        Set<Long> placed = new HashSet<>();
        List<EnabledAgent> chosen = new ArrayList<>();
        for (EnabledAgent enabled : oldestFirst) {
            if (enabled.project().hasTrigger(Triggers.MENTION) && placed.add(enabled.agent().id)) {
                chosen.add(enabled);
            }
        }
        return chosen;
    }

    /** GitLab being briefly unavailable should not send the comment to the dead-letter topic. */
    private static <T> Uni<T> retried(Uni<T> call) {
        return call.onFailure(e -> !(e instanceof ApiException api && api.status() == 404))
                .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(4);
    }
}
