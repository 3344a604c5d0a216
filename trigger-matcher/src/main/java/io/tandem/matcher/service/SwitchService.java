package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.repository.Agent;
import io.tandem.matcher.repository.AgentRepository;
import io.tandem.matcher.repository.ExternalAgentSetting;
import io.tandem.matcher.repository.ExternalAgentSettingRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * The switches that stop agents from starting: "allow external agents" on the instance (GitLab administrators)
 * and on a top-level group (its Owners), and turning one agent off (Maintainers of its project). Every change
 * is audited.
 */
@ApplicationScoped
public class SwitchService {

    /** A switch as the API shows it; {@code locked} is only ever true on the instance. */
    public record Setting(Long groupId, boolean allowed, boolean locked, boolean set, String changedBy,
            Instant changedAt) {

        static Setting of(ExternalAgentSetting s, Long groupId) {
            return s == null ? new Setting(groupId, true, false, false, null, null)
                    : new Setting(groupId, s.allowed, s.locked, true, s.changedBy, s.changedAt);
        }
    }

    private final ExternalAgentSettingRepository settings;
    private final AgentRepository agents;
    private final AgentCatalog catalog;
    private final AccessPolicy access;
    private final GitlabClient gitlab;
    private final AuditPublisher audit;

    public SwitchService(ExternalAgentSettingRepository settings, AgentRepository agents, AgentCatalog catalog,
            AccessPolicy access, GitlabClient gitlab, AuditPublisher audit) {
        this.settings = settings;
        this.agents = agents;
        this.catalog = catalog;
        this.access = access;
        this.gitlab = gitlab;
        this.audit = audit;
    }

    public Uni<Setting> instance(Caller caller) {
        requireAdmin(caller);
        return Panache.withSession(() -> settings.findById(ExternalAgentSetting.INSTANCE))
                .map(s -> Setting.of(s, null));
    }

    public Uni<Setting> setInstance(Caller caller, Boolean allowed, Boolean locked) {
        requireAdmin(caller);
        if (allowed == null) {
            throw ApiException.badRequest("'allowed' (true or false) is required");
        }
        boolean lock = locked != null && locked;
        return save(ExternalAgentSetting.INSTANCE, allowed, lock, caller)
                .call(s -> audit.publish(AuditEvents.of("settings.external-agents.changed", null, "instance",
                        caller.username(), null, null,
                        Map.of("scope", "instance", "allowed", Boolean.toString(allowed),
                                "locked", Boolean.toString(lock)),
                        "instance", s.changedAt().toString())))
                .map(s -> new Setting(null, s.allowed(), s.locked(), true, s.changedBy(), s.changedAt()));
    }

    public Uni<Setting> group(Caller caller, long groupId) {
        return access.requireGroup(caller, groupId, AccessLevels.OWNER, "reading the group's agent settings")
                .chain(() -> Panache.withSession(() -> settings.findById(groupId)))
                .map(s -> Setting.of(s, groupId));
    }

    /** 409 while the instance setting is locked; 400 for a subgroup (switches live on top-level groups). */
    public Uni<Setting> setGroup(Caller caller, long groupId, Boolean allowed) {
        if (allowed == null) {
            return Uni.createFrom().failure(ApiException.badRequest("'allowed' (true or false) is required"));
        }
        return access.requireGroup(caller, groupId, AccessLevels.OWNER, "changing the group's agent settings")
                .chain(() -> gitlab.group(groupId))
                .invoke(group -> {
                    if (!group.topLevel()) {
                        throw ApiException.badRequest("group " + group.fullPath()
                                + " is a subgroup; the switch is set on its top-level group");
                    }
                })
                .chain(() -> Panache.withSession(() -> settings.findById(ExternalAgentSetting.INSTANCE)))
                .invoke(instance -> {
                    if (instance != null && instance.locked) {
                        throw ApiException.conflict("the instance setting is locked by an administrator");
                    }
                })
                .chain(() -> save(groupId, allowed, false, caller))
                .call(s -> audit.publish(AuditEvents.forGroup("settings.external-agents.changed", groupId, caller,
                        null, Map.of("scope", "group", "groupId", Long.toString(groupId),
                                "allowed", Boolean.toString(allowed)),
                        Long.toString(groupId), s.changedAt().toString())));
    }

    /** Turns an agent off (or on again) everywhere it is enabled. */
    public Uni<Agent> setAgentDisabled(Caller caller, long agentId, Boolean disabled) {
        if (disabled == null) {
            return Uni.createFrom().failure(ApiException.badRequest("'disabled' (true or false) is required"));
        }
        return catalog.find(agentId)
                .call(agent -> access.requireAgent(caller, agent, AccessLevels.MAINTAINER, "turning an agent off"))
                .chain(found -> Panache.withTransaction(() -> agents.findById(agentId)
                        .onItem().ifNull().failWith(() -> AgentCatalog.notFound(agentId))
                        .invoke(agent -> {
                            agent.disabled = disabled;
                            agent.updatedAt = Instant.now();
                        })))
                .call(agent -> audit.publish(AuditEvents.forProject(disabled ? "agent.turned-off" : "agent.turned-on",
                        agent.projectId, caller, null,
                        Map.of("agentId", agent.id.toString(), "agentName", agent.name),
                        agent.id.toString(), agent.updatedAt.toString())));
    }

    private Uni<Setting> save(long groupId, boolean allowed, boolean locked, Caller caller) {
        return Panache.withTransaction(() -> settings.findById(groupId).chain(existing -> {
            ExternalAgentSetting setting = existing != null ? existing : new ExternalAgentSetting();
            setting.groupId = groupId;
            setting.allowed = allowed;
            setting.locked = locked;
            setting.changedBy = caller.username();
            setting.changedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(setting) : settings.persist(setting);
        })).map(s -> Setting.of(s, groupId));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw ApiException.forbidden("the instance setting can only be changed by a GitLab administrator");
        }
    }
}
