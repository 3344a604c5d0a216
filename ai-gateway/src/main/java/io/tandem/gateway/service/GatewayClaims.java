package io.tandem.gateway.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a verified gateway token says about its run.
 *
 * @param serviceAccount {@code sub}: the service account's username
 * @param user {@code act.sub}: the human the run is for; {@code userId} is {@code act.uid}
 * @param models {@code models}: the allowed models per provider id at mint time
 */
public record GatewayClaims(String runId, String serviceAccount, String user, Long userId, Long projectId,
        String projectPath, Long groupId, Long agentId, String agent, Map<String, List<String>> models,
        Instant expiresAt) {
}
