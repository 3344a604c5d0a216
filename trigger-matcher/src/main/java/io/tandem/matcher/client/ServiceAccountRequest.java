package io.tandem.matcher.client;

public record ServiceAccountRequest(long groupId, String agentName) {
}
