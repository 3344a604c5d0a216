package io.tandem.sim.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Hook;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Project and group webhooks, and firing an event to every hook that subscribed to it. */
@ApplicationScoped
public class HookService {

    public static final List<String> EVENT_FLAGS = List.of("push_events", "tag_push_events", "issues_events",
            "confidential_issues_events", "note_events", "confidential_note_events", "merge_requests_events",
            "job_events", "pipeline_events", "wiki_page_events", "deployment_events", "releases_events",
            "milestone_events", "feature_flag_events", "emoji_events", "resource_access_token_events",
            "member_events", "project_events", "subgroup_events", "vulnerability_events");
    static final String USER_AGENT = "GitLab/18.5.0";

    private final SimStore store;
    private final AccessPolicy access;
    private final WebhookDispatcher dispatcher;
    private final InstanceUrl instanceUrl;
    private final ObjectMapper json;

    public HookService(SimStore store, AccessPolicy access, WebhookDispatcher dispatcher, InstanceUrl instanceUrl,
            ObjectMapper json) {
        this.store = store;
        this.access = access;
        this.dispatcher = dispatcher;
        this.instanceUrl = instanceUrl;
        this.json = json;
    }

    public Hook create(Long projectId, Long groupId, ApiParams params) {
        String url = params.required("url");
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw ApiError.badRequest(Map.of("url", List.of("is blocked: Only allowed schemes are http, https")));
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Map.of("url", List.of("is blocked: URI is invalid")));
        }
        synchronized (store) {
            Hook hook = new Hook();
            hook.id = store.nextHookId();
            hook.projectId = projectId;
            hook.groupId = groupId;
            hook.createdAt = Instant.now();
            hook.events.put("push_events", true);
            apply(hook, params);
            hook.url = url;
            store.hooks.put(hook.id, hook);
            return hook;
        }
    }

    public void update(Hook hook, ApiParams params) {
        synchronized (store) {
            if (params.string("url") != null) {
                hook.url = params.string("url");
            }
            apply(hook, params);
        }
    }

    private static void apply(Hook hook, ApiParams params) {
        for (String flag : EVENT_FLAGS) {
            Boolean value = params.bool(flag);
            if (value != null) {
                hook.events.put(flag, value);
            }
        }
        if (params.has("token")) {
            hook.token = params.string("token");
        }
        if (params.has("name")) {
            hook.name = params.string("name");
        }
        if (params.has("description")) {
            hook.description = params.string("description");
        }
        hook.enableSslVerification = params.bool("enable_ssl_verification", hook.enableSslVerification);
    }

    public List<Hook> projectHooks(long projectId) {
        return SimStore.sorted(store.hooks.values(), h -> h.projectId != null && h.projectId == projectId,
                Comparator.comparingLong(h -> h.id));
    }

    public List<Hook> groupHooks(long groupId) {
        return SimStore.sorted(store.hooks.values(), h -> h.groupId != null && h.groupId == groupId,
                Comparator.comparingLong(h -> h.id));
    }

    public Hook projectHook(long projectId, long hookId) {
        Hook hook = store.hooks.get(hookId);
        if (hook == null || hook.projectId == null || hook.projectId != projectId) {
            throw ApiError.notFound();
        }
        return hook;
    }

    public Hook groupHook(long groupId, long hookId) {
        Hook hook = store.hooks.get(hookId);
        if (hook == null || hook.groupId == null || hook.groupId != groupId) {
            throw ApiError.notFound();
        }
        return hook;
    }

    public void delete(Hook hook) {
        store.hooks.remove(hook.id);
    }

    /**
     * Sends the event to the project's hooks and its groups' hooks that subscribed to {@code flag}. All
     * hooks get the same X-Gitlab-Event-UUID; each delivery its own Idempotency-Key.
     */
    public void fire(Project project, String flag, String event, Map<String, Object> payload) {
        List<Hook> hooks = new ArrayList<>(projectHooks(project.id));
        for (Group group : access.groupChain(project.namespaceId)) {
            hooks.addAll(groupHooks(group.id));
        }
        send(hooks, flag, event, payload);
    }

    /** Sends a group-level event (epics) to the hooks of the group and its ancestors. */
    public void fire(Group group, String flag, String event, Map<String, Object> payload) {
        List<Hook> hooks = new ArrayList<>();
        for (Group g : access.groupChain(group.id)) {
            hooks.addAll(groupHooks(g.id));
        }
        send(hooks, flag, event, payload);
    }

    private void send(List<Hook> hooks, String flag, String event, Map<String, Object> payload) {
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String eventUuid = UUID.randomUUID().toString();
        String thread = WebhookThreads.of(payload);
        for (Hook hook : hooks) {
            if (!hook.subscribed(flag)) {
                continue;
            }
            String idempotencyKey = UUID.randomUUID().toString();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", USER_AGENT);
            headers.put("X-Gitlab-Event", event);
            if (hook.token != null && !hook.token.isEmpty()) {
                headers.put("X-Gitlab-Token", hook.token);
            }
            headers.put("X-Gitlab-Webhook-UUID", hook.uuid);
            headers.put("X-Gitlab-Instance", instanceUrl.base());
            headers.put("X-Gitlab-Event-UUID", eventUuid);
            headers.put("Idempotency-Key", idempotencyKey);
            dispatcher.enqueue(new WebhookDelivery(idempotencyKey, eventUuid, event, hook.id, thread, hook.url,
                    java.util.Collections.unmodifiableMap(headers), body));
        }
    }
}
