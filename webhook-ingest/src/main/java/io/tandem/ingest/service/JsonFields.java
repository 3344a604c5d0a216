package io.tandem.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import java.util.ArrayList;
import java.util.List;

/** Lenient reads of GitLab's JSON: GitLab versions differ in which fields they send and in their types. */
final class JsonFields {

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** {@code where} names the field for the caller, e.g. {@code object_attributes.iid}. */
    static long requiredLong(JsonNode node, String field, String where) {
        Long value = optionalLong(node, field);
        if (value == null) {
            throw new MalformedWebhookException("missing or non-numeric " + where);
        }
        return value;
    }

    static String requiredText(JsonNode node, String field, String where) {
        String value = text(node, field);
        if (value == null) {
            throw new MalformedWebhookException("missing " + where);
        }
        return value;
    }

    static JsonNode requiredObject(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isObject()) {
            throw new MalformedWebhookException("missing object " + where);
        }
        return value;
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText(""));
    }

    /** A user object as GitLab embeds it; older GitLab versions send no {@code id}. Null if there is no user. */
    static Actor actor(JsonNode user) {
        if (!user.isObject()) {
            return null;
        }
        String username = text(user, "username");
        if (username == null) {
            return null;
        }
        return new Actor(optionalLong(user, "id"), username, text(user, "name"));
    }

    /** An array of user objects; entries without a username are dropped. */
    static List<Actor> actors(JsonNode users) {
        List<Actor> result = new ArrayList<>();
        if (users.isArray()) {
            for (JsonNode user : users) {
                Actor actor = actor(user);
                if (actor != null) {
                    result.add(actor);
                }
            }
        }
        return List.copyOf(result);
    }

    private JsonFields() {
    }
}
