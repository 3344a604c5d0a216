package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ExternalAgentSettingRepository implements PanacheRepositoryBase<ExternalAgentSetting, Long> {

    /** The instance's row and the group's, those of them that exist. */
    public Uni<List<ExternalAgentSetting>> instanceAndGroup(long groupId) {
        return list("groupId in (?1, ?2)", ExternalAgentSetting.INSTANCE, groupId);
    }
}
