package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.ExternalAgentSetting;
import io.tandem.matcher.repository.ExternalAgentSettingRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Whether an enabled agent may start now: the agent is not turned off, and external agents are allowed where
 * the project lives. The group's setting wins over the instance's, unless the instance locked its own;
 * with no setting anywhere they are allowed.
 */
@ApplicationScoped
public class TriggerSwitches {

    private final ExternalAgentSettingRepository settings;

    public TriggerSwitches(ExternalAgentSettingRepository settings) {
        this.settings = settings;
    }

    /** Why the agent may not start in its project now, or null if it may. */
    public Uni<String> blockedReason(EnabledAgent target) {
        if (target.agent().disabled) {
            return Uni.createFrom().item("agent '" + target.agent().name + "' is turned off");
        }
        long groupId = target.project().groupId;
        // one statement for both rows: this runs for every trigger
        return Panache.withSession(() -> settings.instanceAndGroup(groupId))
                .map(rows -> blockedReason(row(rows, ExternalAgentSetting.INSTANCE), row(rows, groupId)));
    }

    private static ExternalAgentSetting row(List<ExternalAgentSetting> rows, long groupId) {
        return rows.stream().filter(r -> r.groupId == groupId).findFirst().orElse(null);
    }

    static String blockedReason(ExternalAgentSetting instance, ExternalAgentSetting group) {
        if (instance != null && instance.locked || group == null) {
            return instance == null || instance.allowed ? null : "external agents are turned off on this instance";
        }
        return group.allowed ? null : "external agents are turned off in group " + group.groupId;
    }
}
