package io.tandem.matcher.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.tandem.matcher.config.MatcherConfig;
import io.tandem.matcher.service.ApiException;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Member;
import org.gitlab4j.api.models.Namespace;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.RepositoryFile;
import org.gitlab4j.api.models.User;
import org.gitlab4j.models.Constants.TokenType;

/**
 * Tandem's calls to the GitLab REST API. gitlab4j blocks, so every call runs on a worker thread and its
 * result comes back on the caller's Vert.x context, where Hibernate Reactive expects to continue.
 */
@ApplicationScoped
public class GitlabClient {

    /** GitLab's access level of a non-member. */
    public static final int NO_ACCESS = 0;

    private final MatcherConfig.Gitlab config;
    private final Vertx vertx;
    private final GitLabApi admin;
    private final Cache<Long, GitlabUser> users;

    public GitlabClient(MatcherConfig config, Vertx vertx) {
        this.config = config.gitlab();
        this.vertx = vertx;
        this.admin = open(config.gitlab().token(), TokenType.PRIVATE);
        this.users = Caffeine.newBuilder()
                .expireAfterWrite(config.gitlab().userCacheTtl())
                .maximumSize(10_000)
                .build();
    }

    /** {@code GET /user} with the caller's own token: who is calling. 401 if GitLab refuses the token. */
    public Uni<GitlabUser> currentUser(CallerToken token) {
        return blocking(() -> {
            try (GitLabApi api = open(token.value(), token.bearer() ? TokenType.OAUTH2_ACCESS : TokenType.PRIVATE)) {
                return toUser(api.getUserApi().getCurrentUser());
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 401 || e.getHttpStatus() == 403) {
                    throw ApiException.unauthorized("GitLab did not accept the token");
                }
                throw upstream(e);
            }
        });
    }

    /**
     * {@code GET /users/:id} with the admin token, remembered for a while: the bot flag rarely changes.
     * Null if GitLab does not know the user.
     */
    public Uni<GitlabUser> user(long userId) {
        GitlabUser cached = users.getIfPresent(userId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return blocking(() -> {
            try {
                return toUser(admin.getUserApi().getUser(userId));
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 404) {
                    return null;
                }
                throw e;
            }
        }).invoke(user -> {
            if (user != null) {
                users.put(userId, user);
            }
        });
    }

    /** {@code GET /users?username=}: for payloads that name a user without an id. Null if there is none. */
    public Uni<GitlabUser> userByUsername(String username) {
        return blocking(() -> {
            User user = admin.getUserApi().getUser(username);
            return user == null ? null : toUser(user);
        });
    }

    /** The user's access level in the project, inherited memberships included; 0 for none. */
    public Uni<Integer> projectAccessLevel(long projectId, long userId) {
        return blocking(() -> accessLevel(() -> admin.getProjectApi().getMember(projectId, userId, true)));
    }

    /** The user's access level in the group, inherited memberships included; 0 for none. */
    public Uni<Integer> groupAccessLevel(long groupId, long userId) {
        return blocking(() -> accessLevel(() -> admin.getGroupApi().getMember(groupId, userId, true)));
    }

    public Uni<GitlabProject> project(long projectId) {
        return blocking(() -> {
            try {
                Project project = admin.getProjectApi().getProject(projectId);
                return new GitlabProject(project.getId(), project.getPathWithNamespace(),
                        topLevelGroupId(project.getNamespace()), project.getDefaultBranch());
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 404) {
                    throw ApiException.notFound("project " + projectId + " not found");
                }
                throw e;
            }
        });
    }

    /**
     * A file of the project's repository at {@code ref} (the project's default branch if null), as text; null if
     * there is no such file or branch. Files larger than {@code maxBytes} fail with a 400-style {@link ApiException}.
     */
    public Uni<String> repositoryFile(long projectId, String path, String ref, int maxBytes) {
        return blocking(() -> {
            try {
                String branch = ref != null ? ref : admin.getProjectApi().getProject(projectId).getDefaultBranch();
                RepositoryFile file = admin.getRepositoryFileApi().getFile(projectId, path, branch);
                if (file.getSize() != null && file.getSize() > maxBytes) {
                    throw ApiException.badRequest(path + " is larger than " + maxBytes + " bytes");
                }
                return file.getDecodedContentAsString();
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 404) {
                    return null;
                }
                throw e;
            }
        });
    }

    public Uni<GitlabGroup> group(long groupId) {
        return blocking(() -> {
            try {
                Group group = admin.getGroupApi().getGroup(groupId);
                return new GitlabGroup(group.getId(), group.getFullPath(), group.getParentId());
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 404) {
                    throw ApiException.notFound("group " + groupId + " not found");
                }
                throw e;
            }
        });
    }

    /**
     * The id of the top-level group above a group given by id or full path (a group-level thread may name its
     * group either way): the first segment of the group's {@code full_path} is the top-level group's path.
     * Null if GitLab does not know the group.
     */
    public Uni<Long> topLevelGroupId(Object groupIdOrPath) {
        return blocking(() -> {
            try {
                Group group = admin.getGroupApi().getGroup(groupIdOrPath);
                String fullPath = group.getFullPath();
                if (fullPath == null || !fullPath.contains("/")) {
                    return group.getId();
                }
                return admin.getGroupApi().getGroup(fullPath.substring(0, fullPath.indexOf('/'))).getId();
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() == 404) {
                    return null;
                }
                throw e;
            }
        });
    }

    private Long topLevelGroupId(Namespace namespace) throws GitLabApiException {
        if (namespace == null || !"group".equals(namespace.getKind())) {
            return null;
        }
        boolean nested = namespace.getParentId() != null
                || namespace.getFullPath() != null && namespace.getFullPath().contains("/");
        if (!nested) {
            return namespace.getId();
        }
        Group group = admin.getGroupApi().getGroup(namespace.getId());
        while (group.getParentId() != null) {
            group = admin.getGroupApi().getGroup(group.getParentId());
        }
        return group.getId();
    }

    private static int accessLevel(GitlabCall<Member> call) throws GitLabApiException {
        try {
            Member member = call.call();
            return member == null || member.getAccessLevel() == null ? NO_ACCESS : member.getAccessLevel().value;
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == 404) {
                return NO_ACCESS;
            }
            throw e;
        }
    }

    private <T> Uni<T> blocking(Callable<T> call) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return call.call();
            } catch (ApiException e) {
                throw e;
            } catch (GitLabApiException e) {
                throw upstream(e);
            } catch (Exception e) {
                throw ApiException.badGateway("GitLab call failed: " + e.getClass().getSimpleName());
            }
        }), false);
    }

    private static ApiException upstream(GitLabApiException e) {
        return e.getHttpStatus() > 0
                ? ApiException.badGateway("GitLab answered " + e.getHttpStatus())
                : ApiException.badGateway("GitLab is unreachable");
    }

    private GitLabApi open(String token, TokenType type) {
        return RuntimeReusingApiClient.open(config.url(), type, token, Duration.ofMillis(config.connectTimeoutMillis()),
                Duration.ofMillis(config.readTimeoutMillis()));
    }

    private static GitlabUser toUser(User user) {
        return new GitlabUser(user.getId(), user.getUsername(), user.getName(),
                Boolean.TRUE.equals(user.getIsAdmin()), Boolean.TRUE.equals(user.getBot()));
    }

    @PreDestroy
    void close() {
        admin.close();
    }

    @FunctionalInterface
    private interface GitlabCall<T> {
        T call() throws GitLabApiException;
    }
}
