package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.optionalLong;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.ThreadRef;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds which issue, merge request or epic an event belongs to, in whichever fields its GitLab version used. */
final class ThreadResolver {

    private static final Pattern GROUP_URL = Pattern.compile("/groups/(.+?)/-/");

    /**
     * @param attributes the event's {@code object_attributes}
     * @param noteable the object the thread is about ({@code issue}, {@code merge_request}, ...; for issue and
     *        merge request events the attributes themselves)
     * @param gitlabType GitLab's type of that object: a noteable type or a work item type
     */
    static ThreadRef resolve(JsonNode root, JsonNode attributes, JsonNode noteable, String gitlabType, long iid,
            String webUrl) {
        Long projectId = firstLong(new Field(root.path("project"), "id"), new Field(attributes, "project_id"),
                new Field(attributes, "target_project_id"), new Field(noteable, "project_id"),
                new Field(noteable, "target_project_id"), new Field(root, "project_id"));
        // Group-level threads (epics, group work items) have no project; their group id is where GitLab put it.
        Long groupId = projectId != null ? null
                : firstLong(new Field(root, "group_id"), new Field(root.path("group"), "id"),
                        new Field(noteable, "group_id"), new Field(attributes, "group_id"),
                        new Field(noteable, "namespace_id"), new Field(attributes, "namespace_id"));
        String groupPath = projectId != null ? null : groupPath(root, webUrl);
        // projectPath keeps holding the group's path for group-level threads, as consumers read it before groupPath.
        String path = projectPath(root) != null ? projectPath(root) : groupPath;
        return new ThreadRef(projectId, groupId, path, threadType(gitlabType), iid, optionalLong(noteable, "id"),
                webUrl, groupPath);
    }

    /**
     * Tasks, incidents, objectives and other work items are issues to GitLab: they share the project's issue
     * iids and their comments arrive with {@code noteable_type} Issue. Mapping them to Issue keeps a work item's
     * events and its comments on one thread key. Epics are numbered per group and stay Epic.
     */
    static String threadType(String gitlabType) {
        if ("MergeRequest".equals(gitlabType) || "Epic".equals(gitlabType)) {
            return gitlabType;
        }
        return "Issue";
    }

    private static String projectPath(JsonNode root) {
        return text(root.path("project"), "path_with_namespace");
    }

    /**
     * A group-level thread's group path, from the payload or else the thread's URL: GitLab's work item payload for
     * an epic names its group only in {@code /groups/<full path>/-/work_items/<iid>}.
     */
    private static String groupPath(JsonNode root, String webUrl) {
        String groupPath = text(root.path("group"), "full_path");
        if (groupPath != null) {
            return groupPath;
        }
        if (webUrl != null) {
            Matcher matcher = GROUP_URL.matcher(webUrl);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static Long firstLong(Field... candidates) {
        for (Field candidate : candidates) {
            Long value = optionalLong(candidate.node(), candidate.name());
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private record Field(JsonNode node, String name) {
    }

    private ThreadResolver() {
    }
}
