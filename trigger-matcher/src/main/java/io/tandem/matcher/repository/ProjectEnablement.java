package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** An agent enabled in one project, with the triggers that start it there (stored comma-separated). */
@Entity
@Table(name = "project_enablement")
public class ProjectEnablement {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id", nullable = false)
    public long agentId;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(name = "group_id", nullable = false)
    public long groupId;

    @Column(nullable = false)
    public String triggers;

    /** {@code .gitlab/duo/flows/<name>.yaml} in the project's repository, or null for the catalog definition. */
    @Column(name = "definition_path")
    public String definitionPath;

    @Column(name = "enabled_by", nullable = false)
    public String enabledBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public List<String> triggerList() {
        return Arrays.stream(triggers.split(",")).filter(t -> !t.isBlank()).toList();
    }

    public void triggerList(List<String> list) {
        triggers = String.join(",", list);
    }

    public boolean hasTrigger(String trigger) {
        return triggerList().contains(trigger);
    }
}
