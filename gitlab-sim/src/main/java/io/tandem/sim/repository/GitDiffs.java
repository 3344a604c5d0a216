package io.tandem.sim.repository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Diffs and commit ranges between two commits of a project's repository, with rename detection. */
@ApplicationScoped
public class GitDiffs {

    private final GitRepositories git;

    public GitDiffs(GitRepositories git) {
        this.git = git;
    }

    /** The changes from {@code fromSha} to {@code toSha}, in path order. */
    public List<FileDiff> diff(long projectId, String fromSha, String toSha) {
        Repository repo = git.repository(projectId);
        try (RevWalk walk = new RevWalk(repo);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                DiffFormatter formatter = new DiffFormatter(out)) {
            RevCommit from = walk.parseCommit(ObjectId.fromString(fromSha));
            RevCommit to = walk.parseCommit(ObjectId.fromString(toSha));
            formatter.setRepository(repo);
            formatter.setDetectRenames(true);
            List<FileDiff> result = new ArrayList<>();
            for (DiffEntry entry : formatter.scan(from.getTree(), to.getTree())) {
                out.reset();
                formatter.format(entry);
                String text = out.toString(StandardCharsets.UTF_8);
                boolean added = entry.getChangeType() == DiffEntry.ChangeType.ADD;
                boolean deleted = entry.getChangeType() == DiffEntry.ChangeType.DELETE;
                result.add(new FileDiff(added ? entry.getNewPath() : entry.getOldPath(),
                        deleted ? entry.getOldPath() : entry.getNewPath(), mode(entry.getOldMode()),
                        mode(entry.getNewMode()), added, entry.getChangeType() == DiffEntry.ChangeType.RENAME,
                        deleted, hunks(text)));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits reachable from {@code toSha} but not from {@code fromSha}, oldest first. */
    public List<CommitInfo> commitsBetween(long projectId, String fromSha, String toSha) {
        List<CommitInfo> result = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git.repository(projectId))) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(toSha)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(fromSha)));
            for (RevCommit commit : walk) {
                result.add(git.commit(projectId, commit.name()).orElseThrow());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.reverse(result);
        return result;
    }

    private static String mode(FileMode mode) {
        return mode == null || mode == FileMode.MISSING ? "0" : Integer.toOctalString(mode.getBits());
    }

    /** Drops JGit's header lines; a binary change keeps its "Binary files ... differ" line, as GitLab does. */
    static String hunks(String formatted) {
        int hunk = formatted.startsWith("@@") ? 0 : formatted.indexOf("\n@@");
        if (hunk >= 0) {
            return formatted.substring(hunk == 0 ? 0 : hunk + 1);
        }
        int binary = formatted.indexOf("Binary files");
        return binary >= 0 ? formatted.substring(binary) : "";
    }
}
