package io.tandem.sim.repository;

import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The simulator's state, in memory: a restart starts empty. Writers synchronize on this object so that
 * ids, uniqueness checks and the order of webhook events stay consistent.
 */
@Singleton
public class SimStore {

    public final Map<Long, User> users = new ConcurrentHashMap<>();
    public final Map<Long, AccessToken> tokens = new ConcurrentHashMap<>();
    public final Map<Long, Group> groups = new ConcurrentHashMap<>();
    /** Direct group members: group id, then user id. */
    public final Map<Long, Map<Long, Member>> groupMembers = new ConcurrentHashMap<>();
    public final Map<Long, Project> projects = new ConcurrentHashMap<>();
    public final Map<Long, Hook> hooks = new ConcurrentHashMap<>();
    public final Map<Long, Issue> issues = new ConcurrentHashMap<>();
    public final Map<Long, MergeRequest> mergeRequests = new ConcurrentHashMap<>();
    public final Map<Long, Note> notes = new ConcurrentHashMap<>();
    public final Map<Long, Pipeline> pipelines = new ConcurrentHashMap<>();
    public final Map<Long, Epic> epics = new ConcurrentHashMap<>();

    private final AtomicLong userIds = new AtomicLong();
    private final AtomicLong tokenIds = new AtomicLong();
    /** Groups and personal namespaces share one id space, as in GitLab. */
    private final AtomicLong namespaceIds = new AtomicLong();
    private final AtomicLong projectIds = new AtomicLong();
    private final AtomicLong hookIds = new AtomicLong();
    private final AtomicLong issueIds = new AtomicLong();
    private final AtomicLong mergeRequestIds = new AtomicLong();
    private final AtomicLong noteIds = new AtomicLong();
    private final AtomicLong pipelineIds = new AtomicLong();
    private final AtomicLong jobIds = new AtomicLong();
    private final AtomicLong epicIds = new AtomicLong();

    public long nextUserId() {
        return userIds.incrementAndGet();
    }

    public long nextTokenId() {
        return tokenIds.incrementAndGet();
    }

    public long nextNamespaceId() {
        return namespaceIds.incrementAndGet();
    }

    public long nextProjectId() {
        return projectIds.incrementAndGet();
    }

    public long nextHookId() {
        return hookIds.incrementAndGet();
    }

    public long nextIssueId() {
        return issueIds.incrementAndGet();
    }

    public long nextMergeRequestId() {
        return mergeRequestIds.incrementAndGet();
    }

    public long nextNoteId() {
        return noteIds.incrementAndGet();
    }

    public long nextPipelineId() {
        return pipelineIds.incrementAndGet();
    }

    public long nextEpicId() {
        return epicIds.incrementAndGet();
    }

    public long nextJobId() {
        return jobIds.incrementAndGet();
    }

    public Optional<User> user(long id) {
        return Optional.ofNullable(users.get(id));
    }

    public Optional<User> userByUsername(String username) {
        return users.values().stream().filter(u -> u.username.equalsIgnoreCase(username)).findFirst();
    }

    public Optional<User> userByNamespace(long namespaceId) {
        return users.values().stream().filter(u -> u.namespaceId == namespaceId).findFirst();
    }

    public Optional<Group> groupByFullPath(String fullPath) {
        return groups.values().stream().filter(g -> g.fullPath.equalsIgnoreCase(fullPath)).findFirst();
    }

    public Map<Long, Member> groupMembers(long groupId) {
        return groupMembers.computeIfAbsent(groupId, k -> new ConcurrentHashMap<>());
    }

    public static <T> List<T> sorted(Iterable<T> values, Predicate<T> filter, Comparator<T> order) {
        java.util.ArrayList<T> result = new java.util.ArrayList<>();
        for (T value : values) {
            if (filter.test(value)) {
                result.add(value);
            }
        }
        result.sort(order);
        return result;
    }
}
