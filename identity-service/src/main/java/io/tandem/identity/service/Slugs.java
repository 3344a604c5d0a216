package io.tandem.identity.service;

import java.util.Locale;

/** Usernames Tandem gives service accounts. */
public final class Slugs {

    /** Lower case; every run of characters other than {@code a-z} and {@code 0-9} becomes one {@code -}; trimmed. */
    public static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        int start = 0;
        int end = slug.length();
        while (start < end && slug.charAt(start) == '-') {
            start++;
        }
        while (end > start && slug.charAt(end - 1) == '-') {
            end--;
        }
        return slug.substring(start, end);
    }

    /** {@code ai-<agent>-<group>}, both parts slugged. */
    public static String serviceAccountUsername(String agentName, String groupPath) {
        String agent = slug(agentName);
        String group = slug(groupPath);
        if (agent.isEmpty() || group.isEmpty()) {
            throw new IllegalArgumentException("agent name and group path must contain at least one letter or digit");
        }
        return "ai-" + agent + "-" + group;
    }

    private Slugs() {
    }
}
