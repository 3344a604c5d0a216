package io.tandem.sim.service;

import io.quarkus.runtime.StartupEvent;
import io.tandem.sim.config.SimConfig;
import io.tandem.sim.repository.AccessToken;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users, personal access tokens and authentication. */
@ApplicationScoped
public class UserService {

    private static final String TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    private static final List<String> VALID_SCOPES = List.of("api", "read_api", "read_user", "create_runner",
            "manage_runner", "k8s_proxy", "read_repository", "write_repository", "read_registry", "write_registry",
            "read_virtual_registry", "write_virtual_registry", "sudo", "admin_mode", "ai_features",
            "read_service_ping", "self_rotate", "ai_workflows", "read_observability", "write_observability");

    private final SimStore store;
    private final SimConfig config;
    private final SecureRandom random = new SecureRandom();

    public UserService(SimStore store, SimConfig config) {
        this.store = store;
        this.config = config;
    }

    void createRoot(@Observes StartupEvent event) {
        synchronized (store) {
            if (store.users.isEmpty()) {
                User root = newUser("root", "Administrator", "admin@example.com", true, false, null);
                AccessToken token = new AccessToken();
                token.id = store.nextTokenId();
                token.userId = root.id;
                token.name = "sim-root-token";
                token.scopes = List.of("api", "sudo", "admin_mode");
                token.token = config.sim().rootToken();
                token.createdAt = Instant.now();
                store.tokens.put(token.id, token);
            }
        }
    }

    /** The user a token belongs to, if the token is active and the user not blocked. */
    public Optional<User> authenticate(String tokenValue) {
        if (tokenValue == null || tokenValue.isBlank()) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return store.tokens.values().stream()
                .filter(t -> t.token.equals(tokenValue.trim()) && t.active(today))
                .findFirst()
                .flatMap(t -> {
                    t.lastUsedAt = Instant.now();
                    return store.user(t.userId);
                })
                .filter(u -> "active".equals(u.state));
    }

    public User get(long id) {
        return store.user(id).orElseThrow(() -> ApiError.notFound("User"));
    }

    public User create(ApiParams params) {
        String email = params.string("email");
        String username = params.string("username");
        String name = params.string("name");
        List<String> missing = new ArrayList<>();
        if (email == null || email.isBlank()) {
            missing.add("email");
        }
        if (username == null || username.isBlank()) {
            missing.add("username");
        }
        if (name == null || name.isBlank()) {
            missing.add("name");
        }
        if (!missing.isEmpty()) {
            throw ApiError.badParam(String.join(", ", missing) + (missing.size() == 1 ? " is missing" : " are missing"));
        }
        if (!params.has("password") && !params.bool("reset_password", false)
                && !params.bool("force_random_password", false)) {
            throw ApiError.badParam("password, reset_password, force_random_password are missing, exactly one parameter must be provided");
        }
        synchronized (store) {
            if (store.userByUsername(username).isPresent() || pathTaken(username)) {
                throw ApiError.conflict("Username has already been taken");
            }
            if (store.users.values().stream().anyMatch(u -> email.equalsIgnoreCase(u.email))) {
                throw ApiError.conflict("Email has already been taken");
            }
            User user = newUser(username, name, email, params.bool("admin", false), false, null);
            user.canCreateGroup = params.bool("can_create_group", true);
            return user;
        }
    }

    /** A bot user owned by a group (GitLab's group service account). */
    public User createServiceAccount(long groupId, String name, String username, String email) {
        synchronized (store) {
            if (store.userByUsername(username).isPresent() || pathTaken(username)) {
                throw ApiError.badRequest("Username has already been taken");
            }
            User user = newUser(username, name, email, false, true, groupId);
            user.canCreateGroup = false;
            return user;
        }
    }

    public void delete(User user) {
        synchronized (store) {
            store.users.remove(user.id);
            store.tokens.values().removeIf(t -> t.userId == user.id);
            store.groupMembers.values().forEach(m -> m.remove(user.id));
            store.projects.values().forEach(p -> p.members.remove(user.id));
        }
    }

    private boolean pathTaken(String path) {
        return store.groups.values().stream().anyMatch(g -> g.parentId == null && g.path.equalsIgnoreCase(path));
    }

    private User newUser(String username, String name, String email, boolean admin, boolean bot, Long groupId) {
        User user = new User();
        user.id = store.nextUserId();
        user.username = username;
        user.name = name;
        user.email = email;
        user.admin = admin;
        user.bot = bot;
        user.serviceAccountGroupId = groupId;
        user.namespaceId = store.nextNamespaceId();
        user.createdAt = Instant.now();
        store.users.put(user.id, user);
        return user;
    }

    public AccessToken createToken(User user, ApiParams params) {
        String name = params.required("name");
        List<String> scopes = params.strings("scopes");
        if (scopes == null || scopes.isEmpty()) {
            throw ApiError.missing("scopes");
        }
        for (String scope : scopes) {
            if (!VALID_SCOPES.contains(scope)) {
                throw ApiError.badParam("scopes does not have a valid value");
            }
        }
        LocalDate expiresAt = params.date("expires_at");
        if (expiresAt != null && !expiresAt.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw ApiError.badRequest("Expiration date must be in the future");
        }
        synchronized (store) {
            AccessToken token = new AccessToken();
            token.id = store.nextTokenId();
            token.userId = user.id;
            token.name = name;
            token.description = params.string("description");
            token.scopes = List.copyOf(scopes);
            token.expiresAt = expiresAt;
            token.token = newTokenValue();
            token.createdAt = Instant.now();
            store.tokens.put(token.id, token);
            return token;
        }
    }

    /** Revokes the token and issues a new one with the same name and scopes, as GitLab's rotate does. */
    public AccessToken rotate(AccessToken old, LocalDate expiresAt) {
        synchronized (store) {
            if (!old.active(LocalDate.now(ZoneOffset.UTC))) {
                throw ApiError.badRequest("Token already revoked");
            }
            old.revoked = true;
            AccessToken token = new AccessToken();
            token.id = store.nextTokenId();
            token.userId = old.userId;
            token.name = old.name;
            token.description = old.description;
            token.scopes = old.scopes;
            token.expiresAt = expiresAt != null ? expiresAt : LocalDate.now(ZoneOffset.UTC).plusDays(7);
            token.token = newTokenValue();
            token.createdAt = Instant.now();
            store.tokens.put(token.id, token);
            return token;
        }
    }

    public AccessToken token(long userId, long tokenId) {
        AccessToken token = store.tokens.get(tokenId);
        if (token == null || token.userId != userId) {
            throw ApiError.notFound();
        }
        return token;
    }

    private String newTokenValue() {
        StringBuilder sb = new StringBuilder("glpat-");
        for (int i = 0; i < 20; i++) {
            sb.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
        }
        return sb.toString();
    }
}
