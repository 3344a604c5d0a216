package io.tandem.matcher.service;

import java.util.Locale;

/** GitLab-friendly slugs: lower case, runs of other characters become {@code -}, trimmed. */
final class Slugs {

    static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return slug.replaceAll("^-+|-+$", "");
    }

    private Slugs() {
    }
}
