package io.tandem.matcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.AgentDefinition;
import io.tandem.events.Invocation;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.config.MatcherConfig;
import io.tandem.matcher.repository.EnabledAgent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The definition an agent runs with, read when it starts: the catalog's, or for a project enablement that points
 * at one, {@code .gitlab/duo/flows/<name>.yaml} from the project's default branch. Either is validated against
 * the published schema's rules every time; a missing or broken file fails with a reason written for the user.
 */
@ApplicationScoped
public class RepositoryDefinitions {

    static final Pattern PATH = Pattern.compile("^\\.gitlab/duo/flows/[A-Za-z0-9][A-Za-z0-9_.-]*\\.ya?ml$");

    private final GitlabClient gitlab;
    private final AgentDefinitionParser parser;
    private final int maxBytes;

    public RepositoryDefinitions(GitlabClient gitlab, MatcherConfig config) {
        this.gitlab = gitlab;
        this.maxBytes = config.definitionMaxBytes();
        this.parser = new AgentDefinitionParser(maxBytes);
    }

    /** 400 unless {@code path} is null or names a file under {@code .gitlab/duo/flows/}. */
    static void requireValidPath(String path) {
        if (path != null && (!PATH.matcher(path).matches() || path.contains(".."))) {
            throw ApiException.badRequest("definitionPath must be .gitlab/duo/flows/<name>.yaml");
        }
    }

    /** The definition to run; fails with {@link InvalidDefinitionException} saying what is wrong. */
    public Uni<AgentDefinition> definitionFor(EnabledAgent target, Invocation invocation) {
        String path = target.project().definitionPath;
        if (path == null) {
            return Uni.createFrom().item(() -> parser.parse(target.agent().definition));
        }
        String ref = invocation.defaultBranch();
        String where = path + " on " + (ref != null ? ref : "the default branch");
        return gitlab.repositoryFile(invocation.projectId(), path, ref, maxBytes)
                .onFailure(e -> !(e instanceof ApiException api && api.status() == 400))
                .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(3)
                .onFailure(ApiException.class).transform(e -> new InvalidDefinitionException(where + ": "
                        + e.getMessage()))
                .map(text -> {
                    if (text == null) {
                        throw new InvalidDefinitionException(where + " does not exist");
                    }
                    try {
                        return parser.parse(text);
                    } catch (InvalidDefinitionException e) {
                        throw new InvalidDefinitionException(where + ": " + e.getMessage());
                    }
                });
    }
}
