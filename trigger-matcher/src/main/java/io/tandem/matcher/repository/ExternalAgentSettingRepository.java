package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ExternalAgentSettingRepository implements PanacheRepositoryBase<ExternalAgentSetting, Long> {
}
