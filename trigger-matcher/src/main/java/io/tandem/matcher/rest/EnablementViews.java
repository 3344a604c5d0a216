package io.tandem.matcher.rest;

import io.tandem.matcher.repository.GroupEnablement;
import io.tandem.matcher.repository.ProjectEnablement;
import java.time.Instant;
import java.util.List;

/** Enablements as the admin API shows them. */
final class EnablementViews {

    record ServiceAccountView(long id, String username) {
    }

    record GroupEnablementView(long agentId, long groupId, ServiceAccountView serviceAccount, String enabledBy,
            Instant createdAt) {

        static GroupEnablementView of(GroupEnablement e) {
            return new GroupEnablementView(e.agentId, e.groupId,
                    new ServiceAccountView(e.serviceAccountId, e.serviceAccountUsername), e.enabledBy, e.createdAt);
        }
    }

    record ProjectEnablementView(long agentId, long projectId, long groupId, List<String> triggers,
            String definitionPath, String enabledBy, Instant createdAt, Instant updatedAt) {

        static ProjectEnablementView of(ProjectEnablement e) {
            return new ProjectEnablementView(e.agentId, e.projectId, e.groupId, e.triggerList(), e.definitionPath,
                    e.enabledBy, e.createdAt, e.updatedAt);
        }
    }

    /**
     * The body of a project enable call; {@code definitionPath} ({@code .gitlab/duo/flows/<name>.yaml}) takes the
     * definition from the project's repository instead of the catalog.
     */
    record TriggersRequest(List<String> triggers, String definitionPath) {
    }

    private EnablementViews() {
    }
}
