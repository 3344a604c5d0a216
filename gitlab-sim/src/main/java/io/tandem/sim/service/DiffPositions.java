package io.tandem.sim.service;

import io.tandem.sim.repository.FileDiff;
import io.tandem.sim.repository.GitDiffs;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.NotePosition;
import io.tandem.sim.repository.Project;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks the {@code position} of a diff note. Like GitLab, a position must name the diff's SHAs,
 * a file of that diff and a line that exists on the side it names; otherwise the note is refused (400).
 */
@ApplicationScoped
public class DiffPositions {

    static final String INVALID = "Note {:line_code=>[\"can't be blank\", \"must be a valid line code\"], "
            + ":position=>[\"is incomplete\"]}";

    private final GitRepositories git;
    private final GitDiffs diffs;

    public DiffPositions(GitRepositories git, GitDiffs diffs) {
        this.git = git;
        this.diffs = diffs;
    }

    /** Null when no position was given. */
    public NotePosition parse(Project project, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw ApiError.badParam("position is invalid");
        }
        String type = text(map, "position_type");
        if (type == null) {
            throw ApiError.missing("position[position_type]");
        }
        NotePosition position = new NotePosition(sha(project, map, "base_sha"), sha(project, map, "start_sha"),
                sha(project, map, "head_sha"), type, text(map, "old_path"), text(map, "new_path"),
                line(map, "old_line"), line(map, "new_line"));
        if (!"text".equals(type)) {
            throw ApiError.badRequest("Only position_type text is simulated");
        }
        String path = position.newPath() != null ? position.newPath() : position.oldPath();
        if (path == null || (position.oldLine() == null && position.newLine() == null)) {
            throw ApiError.badRequest(INVALID);
        }
        boolean inDiff = diffs.diff(project.id, position.baseSha(), position.headSha()).stream()
                .anyMatch(d -> matches(d, position));
        boolean lineExists = (position.newLine() == null
                        || lineCount(project, position.headSha(), position.newPath()) >= position.newLine())
                && (position.oldLine() == null
                        || lineCount(project, position.baseSha(), position.oldPath()) >= position.oldLine());
        if (!inDiff || !lineExists) {
            throw ApiError.badRequest(INVALID);
        }
        return position;
    }

    /** GitLab's {@code line_code}: SHA-1 of the file path, then the old and new line. */
    public static String lineCode(NotePosition position) {
        String path = position.newPath() != null ? position.newPath() : position.oldPath();
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(path.getBytes(StandardCharsets.UTF_8)));
            return hash + "_" + (position.oldLine() == null ? "" : position.oldLine()) + "_"
                    + (position.newLine() == null ? "" : position.newLine());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean matches(FileDiff diff, NotePosition position) {
        return (position.newPath() == null || position.newPath().equals(diff.newPath()))
                && (position.oldPath() == null || position.oldPath().equals(diff.oldPath()));
    }

    private int lineCount(Project project, String sha, String path) {
        if (path == null) {
            return -1;
        }
        return git.file(project.id, sha, path).map(f -> {
            String text = new String(f.getValue(), StandardCharsets.UTF_8);
            int lines = (int) text.chars().filter(c -> c == '\n').count();
            return text.isEmpty() || text.endsWith("\n") ? lines : lines + 1;
        }).orElse(-1);
    }

    private String sha(Project project, Map<?, ?> map, String key) {
        String value = text(map, key);
        if (value == null) {
            throw ApiError.missing("position[" + key + "]");
        }
        Optional<String> sha = git.resolve(project.id, value);
        return sha.orElseThrow(() -> ApiError.badRequest(INVALID));
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static Integer line(Map<?, ?> map, String key) {
        String value = text(map, key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiError.badParam("position[" + key + "] is invalid");
        }
    }
}
