package io.tandem.matcher.service;

import java.util.List;

/** The events that can start an agent in a project. */
public final class Triggers {

    public static final String MENTION = "mention";
    public static final String ASSIGN = "assign";
    public static final String ASSIGN_REVIEWER = "assign_reviewer";

    /** In this order; stored and answered in this order too. */
    static final List<String> ALL = List.of(MENTION, ASSIGN, ASSIGN_REVIEWER);

    /** The requested triggers in canonical order, or 400 for an empty list or an unknown trigger. */
    static List<String> parse(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiException.badRequest("triggers must be a non-empty list of: " + String.join(", ", ALL));
        }
        for (String trigger : requested) {
            if (!ALL.contains(trigger)) {
                throw ApiException.badRequest("unknown trigger '" + trigger + "'; triggers are: "
                        + String.join(", ", ALL));
            }
        }
        return ALL.stream().filter(requested::contains).toList();
    }

    private Triggers() {
    }
}
