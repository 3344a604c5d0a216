package io.tandem.sim.repository;

import io.quarkus.runtime.StartupEvent;
import io.tandem.sim.config.SimConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The projects' bare Git repositories under {@code <data-dir>/repositories/<project id>.git}. Since the rest
 * of the state lives in memory, repositories left by an earlier run are removed at startup.
 */
@ApplicationScoped
public class GitRepositories {

    private final Path root;
    private final Map<Long, Repository> open = new ConcurrentHashMap<>();

    public GitRepositories(SimConfig config) {
        this.root = Paths.get(config.sim().dataDir()).toAbsolutePath().resolve("repositories");
    }

    void clean(@Observes StartupEvent event) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(root);
    }

    @PreDestroy
    void close() {
        open.values().forEach(Repository::close);
    }

    public Path directory(long projectId) {
        return root.resolve(projectId + ".git");
    }

    public Repository repository(long projectId) {
        return open.computeIfAbsent(projectId, id -> {
            try {
                return new FileRepository(directory(id).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Creates the bare repository with one commit adding README.md on the default branch. */
    public CommitInfo init(long projectId, String defaultBranch, String readme, PersonIdent author) {
        try {
            Repository repo = new FileRepository(directory(projectId).toFile());
            repo.create(true);
            open.put(projectId, repo);
            RefUpdate head = repo.updateRef(Constants.HEAD);
            head.link(Constants.R_HEADS + defaultBranch);
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                DirCacheEntry entry = new DirCacheEntry("README.md");
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, readme.getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
                builder.finish();
                ObjectId tree = index.writeTree(inserter);
                ObjectId commit = insertCommit(inserter, tree, null, "Initial commit", author, author);
                inserter.flush();
                updateRef(repo, Constants.R_HEADS + defaultBranch, ObjectId.zeroId(), commit);
                return commit(projectId, commit.name()).orElseThrow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isValidBranchName(String name) {
        return name != null && !name.isBlank() && Repository.isValidRefName(Constants.R_HEADS + name)
                && !name.startsWith("-") && !name.equals("HEAD");
    }

    /** The commit SHA a branch, tag or (abbreviated) SHA points at. */
    public Optional<String> resolve(long projectId, String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        Repository repo = repository(projectId);
        try {
            Ref branch = repo.exactRef(Constants.R_HEADS + ref);
            if (branch != null) {
                return Optional.of(branch.getObjectId().name());
            }
            Ref tag = repo.exactRef(Constants.R_TAGS + ref);
            if (tag != null) {
                Ref peeled = repo.getRefDatabase().peel(tag);
                ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : tag.getObjectId();
                return Optional.of(id.name());
            }
            if (ref.startsWith("refs/")) {
                Ref any = repo.exactRef(ref);
                return Optional.ofNullable(any).map(r -> r.getObjectId().name());
            }
            if (ref.matches("[0-9a-fA-F]{7,40}")) {
                ObjectId id = repo.resolve(ref + "^{commit}");
                return Optional.ofNullable(id).map(ObjectId::name);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public Optional<String> branchHead(long projectId, String branch) {
        try {
            Ref ref = repository(projectId).exactRef(Constants.R_HEADS + branch);
            return Optional.ofNullable(ref).map(r -> r.getObjectId().name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Branch names and head SHAs, by name. */
    public List<Map.Entry<String, String>> branches(long projectId) {
        try {
            List<Map.Entry<String, String>> result = new ArrayList<>();
            for (Ref ref : repository(projectId).getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                result.add(Map.entry(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId().name()));
            }
            result.sort(Map.Entry.comparingByKey());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean createBranch(long projectId, String branch, String sha) {
        Repository repo = repository(projectId);
        synchronized (repo) {
            if (branchHead(projectId, branch).isPresent()) {
                return false;
            }
            updateRef(repo, Constants.R_HEADS + branch, ObjectId.zeroId(), ObjectId.fromString(sha));
            return true;
        }
    }

    public boolean deleteBranch(long projectId, String branch) {
        Repository repo = repository(projectId);
        synchronized (repo) {
            try {
                Ref ref = repo.exactRef(Constants.R_HEADS + branch);
                if (ref == null) {
                    return false;
                }
                RefUpdate update = repo.updateRef(ref.getName());
                update.setExpectedOldObjectId(ref.getObjectId());
                update.setForceUpdate(true);
                RefUpdate.Result result = update.delete();
                if (result != RefUpdate.Result.FORCED) {
                    throw new IllegalStateException("cannot delete branch: " + result);
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Optional<CommitInfo> commit(long projectId, String shaOrRef) {
        Optional<String> sha = resolve(projectId, shaOrRef);
        if (sha.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repository(projectId))) {
            return Optional.of(info(walk.parseCommit(ObjectId.fromString(sha.get()))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Commits reachable from a ref, newest first. */
    public List<CommitInfo> log(long projectId, String ref, int limit) {
        Optional<String> sha = resolve(projectId, ref);
        List<CommitInfo> result = new ArrayList<>();
        if (sha.isEmpty()) {
            return result;
        }
        try (RevWalk walk = new RevWalk(repository(projectId))) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(sha.get())));
            for (RevCommit commit : walk) {
                result.add(info(commit));
                if (result.size() >= limit) {
                    break;
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<String> mergeBase(long projectId, String shaA, String shaB) {
        try (RevWalk walk = new RevWalk(repository(projectId))) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ObjectId.fromString(shaA)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(shaB)));
            RevCommit base = walk.next();
            return Optional.ofNullable(base).map(RevCommit::name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file's bytes and blob id at a commit. */
    public Optional<Map.Entry<String, byte[]>> file(long projectId, String sha, String path) {
        Repository repo = repository(projectId);
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (tree == null || tree.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return Optional.empty();
                }
                ObjectId blob = tree.getObjectId(0);
                ObjectLoader loader = repo.open(blob);
                return Optional.of(Map.entry(blob.name(), loader.getBytes()));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The entries of the tree at {@code path} (empty: the root) of a commit, as GitLab's tree API lists them:
     * one level with trees first, or with {@code recursive} every entry below in pre-order. Empty when the
     * path is not a directory of that commit.
     */
    public Optional<List<TreeEntry>> tree(long projectId, String sha, String path, boolean recursive) {
        Repository repo = repository(projectId);
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            ObjectId tree = commit.getTree();
            String prefix = path == null ? "" : path.replaceAll("^/+|/+$", "");
            if (!prefix.isEmpty()) {
                try (TreeWalk at = TreeWalk.forPath(repo, prefix, commit.getTree())) {
                    if (at == null || at.getFileMode(0).getObjectType() != Constants.OBJ_TREE) {
                        return Optional.empty();
                    }
                    tree = at.getObjectId(0);
                }
            }
            List<TreeEntry> entries = new ArrayList<>();
            try (TreeWalk entriesWalk = new TreeWalk(repo)) {
                entriesWalk.addTree(tree);
                entriesWalk.setRecursive(false);
                while (entriesWalk.next()) {
                    FileMode mode = entriesWalk.getFileMode(0);
                    String type = mode == FileMode.TREE ? "tree" : mode == FileMode.GITLINK ? "commit" : "blob";
                    String entryPath = prefix.isEmpty() ? entriesWalk.getPathString()
                            : prefix + "/" + entriesWalk.getPathString();
                    entries.add(new TreeEntry(entriesWalk.getObjectId(0).name(), entriesWalk.getNameString(), type,
                            entryPath, String.format("%06o", mode.getBits())));
                    if (recursive && mode == FileMode.TREE) {
                        entriesWalk.enterSubtree();
                    }
                }
            }
            if (!recursive) {
                List<String> order = List.of("tree", "blob", "commit");
                entries.sort(Comparator.comparingInt(entry -> order.indexOf(entry.type())));
            }
            return Optional.of(entries);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Commits the changes on top of {@code parentSha} (null for an empty repository) and moves the branch,
     * which must still point at {@code expectedBranchSha} (null: the branch must not exist).
     */
    public CommitInfo commit(long projectId, String branch, String parentSha, String expectedBranchSha,
            List<FileChange> changes, String message, PersonIdent author, PersonIdent committer) {
        Repository repo = repository(projectId);
        synchronized (repo) {
            try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
                DirCache index = DirCache.newInCore();
                RevCommit parent = parentSha == null ? null : walk.parseCommit(ObjectId.fromString(parentSha));
                if (parent != null) {
                    try (ObjectReader reader = repo.newObjectReader()) {
                        DirCacheBuilder builder = index.builder();
                        builder.addTree(new byte[0], 0, reader, parent.getTree());
                        builder.finish();
                    }
                }
                DirCacheEditor editor = index.editor();
                for (FileChange change : changes) {
                    apply(index, editor, inserter, change);
                }
                editor.finish();
                ObjectId tree = index.writeTree(inserter);
                ObjectId commit = insertCommit(inserter, tree, parent, message, author, committer);
                inserter.flush();
                ObjectId expected = expectedBranchSha == null ? ObjectId.zeroId() : ObjectId.fromString(expectedBranchSha);
                updateRef(repo, Constants.R_HEADS + branch, expected, commit);
                return info(walk.parseCommit(commit));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void apply(DirCache index, DirCacheEditor editor, ObjectInserter inserter, FileChange change)
            throws IOException {
        String path = change.filePath();
        DirCacheEntry existing = index.getEntry(path);
        switch (change.action()) {
            case "create" -> {
                if (existing != null) {
                    throw new CommitRejected("A file with this name already exists");
                }
                put(editor, inserter, path, change.content(), Boolean.TRUE.equals(change.executable()));
            }
            case "update" -> {
                if (existing == null) {
                    throw new CommitRejected("A file with this name doesn't exist");
                }
                put(editor, inserter, path, change.content(), existing.getFileMode() == FileMode.EXECUTABLE_FILE);
            }
            case "delete" -> {
                if (existing == null) {
                    throw new CommitRejected("A file with this name doesn't exist");
                }
                editor.add(new DirCacheEditor.DeletePath(path));
            }
            case "move" -> {
                DirCacheEntry source = index.getEntry(change.previousPath());
                if (source == null) {
                    throw new CommitRejected("A file with this name doesn't exist");
                }
                if (existing != null) {
                    throw new CommitRejected("A file with this name already exists");
                }
                editor.add(new DirCacheEditor.DeletePath(change.previousPath()));
                if (change.content() != null) {
                    put(editor, inserter, path, change.content(), source.getFileMode() == FileMode.EXECUTABLE_FILE);
                } else {
                    ObjectId blob = source.getObjectId();
                    FileMode mode = source.getFileMode();
                    editor.add(new DirCacheEditor.PathEdit(path) {
                        @Override
                        public void apply(DirCacheEntry entry) {
                            entry.setFileMode(mode);
                            entry.setObjectId(blob);
                        }
                    });
                }
            }
            case "chmod" -> {
                if (existing == null) {
                    throw new CommitRejected("A file with this name doesn't exist");
                }
                ObjectId blob = existing.getObjectId();
                FileMode mode = Boolean.TRUE.equals(change.executable()) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
                editor.add(new DirCacheEditor.PathEdit(path) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(mode);
                        entry.setObjectId(blob);
                    }
                });
            }
            default -> throw new CommitRejected("Unknown action '" + change.action() + "'");
        }
    }

    private static void put(DirCacheEditor editor, ObjectInserter inserter, String path, byte[] content,
            boolean executable) throws IOException {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, content == null ? new byte[0] : content);
        editor.add(new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(executable ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
            }
        });
    }

    private static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, RevCommit parent, String message,
            PersonIdent author, PersonIdent committer) throws IOException {
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(tree);
        if (parent != null) {
            builder.setParentId(parent);
        }
        builder.setAuthor(author);
        builder.setCommitter(committer);
        builder.setMessage(message.endsWith("\n") ? message : message + "\n");
        return inserter.insert(builder);
    }

    private static void updateRef(Repository repo, String name, ObjectId expected, ObjectId target) {
        try {
            RefUpdate update = repo.updateRef(name);
            update.setExpectedOldObjectId(expected);
            update.setNewObjectId(target);
            update.setForceUpdate(false);
            RefUpdate.Result result = update.update();
            switch (result) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {
                }
                case LOCK_FAILURE, REJECTED -> throw new CommitRejected("Could not update " + name
                        + ". Please refresh and try again.");
                default -> throw new IllegalStateException("cannot update " + name + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommitInfo info(RevCommit commit) {
        PersonIdent author = commit.getAuthorIdent();
        PersonIdent committer = commit.getCommitterIdent();
        List<String> parents = new ArrayList<>();
        for (RevCommit parent : commit.getParents()) {
            parents.add(parent.name());
        }
        return new CommitInfo(commit.name(), commit.getShortMessage(), commit.getFullMessage(), author.getName(),
                author.getEmailAddress(), author.getWhenAsInstant(), committer.getName(),
                committer.getEmailAddress(), committer.getWhenAsInstant(), parents);
    }

    /** A commit that GitLab would refuse (400), with GitLab's message. */
    public static class CommitRejected extends RuntimeException {
        public CommitRejected(String message) {
            super(message, null, false, false);
        }
    }

    public static PersonIdent ident(String name, String email, Instant when) {
        return new PersonIdent(name, email, when, java.time.ZoneOffset.UTC);
    }
}
