package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.actors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import java.util.List;

/**
 * Before and after lists of assignees or reviewers. From {@code changes.<field>} when GitLab sent it. Without it
 * nothing changed, so both are the current list; except when the thread was just opened: then the lists are
 * empty before, which makes assigning someone while creating an issue or merge request an assignment too.
 */
record AssigneeChanges(List<Actor> previous, List<Actor> current) {

    static AssigneeChanges of(JsonNode root, String field, String action) {
        JsonNode change = root.path("changes").path(field);
        if (change.isObject()) {
            return new AssigneeChanges(actors(change.path("previous")), actors(change.path("current")));
        }
        List<Actor> current = actors(root.path(field));
        return new AssigneeChanges("open".equals(action) ? List.of() : current, current);
    }
}
