package io.tandem.matcher.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A group's service account for one agent, as identity-service created it in GitLab. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceAccount(long id, String username, Long groupId) {
}
