package io.tandem.identity.service;

import java.time.Instant;
import java.util.List;

/**
 * What a verified run token says: the service account acting ({@code sub}), the human it acts for
 * ({@code act}), the run's project and the branches it may write.
 */
public record RunClaims(String runId, String jti, String serviceAccountUsername, String humanUsername, Long humanId,
        Long projectId, String projectPath, List<String> branches, Instant expiresAt) {
}
