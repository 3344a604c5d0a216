package io.tandem.identity.service;

import io.tandem.identity.client.GitlabTrees;
import io.tandem.identity.client.GitlabTrees.Entry;
import io.tandem.identity.service.ReceivePackCommands.RefUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Finds the CI configuration changes of a push ({@code .gitlab-ci.yml} at any depth, anything under a
 * {@code .gitlab/ci/} directory) before GitLab sees it. Blocking: run it on a worker thread.
 *
 * <p>The pack is parsed with JGit into a throw-away object store. For every updated ref the new tip's tree is
 * compared with the base (the old tip, or the default branch for a new ref), read through GitLab's tree API.
 * Directories with the same object id on both sides are identical and skipped, so only changed directories are
 * read. A directory of the new tip that the pack does not carry already exists in GitLab: it is read through
 * the API at a commit the push builds on (the parents of the pushed commits that are not in the pack), after
 * checking that its entries hash to the expected tree id. One that cannot be found that way is refused: the
 * proxy does not let through what it could not read.
 */
@ApplicationScoped
public class PushCiInspector {

    /** Commits of GitLab's an unread directory of the new tip is looked for in, at most. */
    private static final int MAX_CANDIDATES = 8;

    /** Lists a directory of a commit in GitLab; empty when there is no such tree. */
    @FunctionalInterface
    interface Trees {
        Optional<List<Entry>> list(long projectId, String ref, String path, boolean recursive, String token)
                throws IOException;
    }

    private final Trees trees;

    @Inject
    public PushCiInspector(GitlabTrees gitlab) {
        this(gitlab::list);
    }

    PushCiInspector(Trees trees) {
        this.trees = trees;
    }

    /**
     * The refs of the push that change CI configuration, each with why; empty when none does.
     *
     * @param body the spooled request body; the pack starts at {@code packStart}
     * @param baseBranch the project's default branch, the base of a new ref
     * @param token the service account's GitLab token, to read trees with
     */
    public Map<String, String> ciChanges(Path body, long packStart, List<RefUpdate> updates, long projectId,
            String baseBranch, String token) throws IOException {
        List<RefUpdate> writes = updates.stream().filter(update -> !update.isDelete()).toList();
        Map<String, String> refused = new LinkedHashMap<>();
        if (writes.isEmpty()) {
            return refused;
        }
        Path store = Files.createTempDirectory("tandem-push-objects-");
        try (Repository pack = new FileRepository(store.toFile())) {
            pack.create(true);
            unpack(body, packStart, pack);
            List<String> candidates = candidates(pack, writes, baseBranch);
            for (RefUpdate update : writes) {
                String base = update.isCreate() ? baseBranch : update.oldId();
                Comparison comparison = new Comparison(pack, projectId, token, base, candidates);
                Optional<String> change = comparison.firstChange(update.newId());
                change.ifPresent(why -> refused.put(update.ref(), why));
            }
            return refused;
        } finally {
            delete(store);
        }
    }

    private static void unpack(Path body, long packStart, Repository pack) throws IOException {
        if (Files.size(body) <= packStart) {
            return;
        }
        try (InputStream in = Files.newInputStream(body); ObjectInserter inserter = pack.newObjectInserter()) {
            in.skipNBytes(packStart);
            PackParser parser = inserter.newPackParser(in);
            // The proxy advertised no-thin: every delta's base must be in the pack itself.
            parser.setAllowThin(false);
            parser.parse(NullProgressMonitor.INSTANCE);
            inserter.flush();
        } catch (IOException e) {
            if (e instanceof MissingObjectException || String.valueOf(e.getMessage()).contains("thin")) {
                throw new ProxyRefusal(400, "the proxy needs a self-contained pack (git push sends one when asked)");
            }
            throw new ProxyRefusal(400, "the pushed pack could not be read");
        }
    }

    /**
     * Commits GitLab has that the push builds on: tips not in the pack, parents of pushed commits that are not
     * in it, then each base.
     */
    private static List<String> candidates(Repository pack, List<RefUpdate> writes, String baseBranch)
            throws IOException {
        Set<String> found = new LinkedHashSet<>();
        Deque<ObjectId> queue = new ArrayDeque<>();
        Set<ObjectId> seen = new HashSet<>();
        for (RefUpdate update : writes) {
            queue.add(ObjectId.fromString(update.newId()));
        }
        try (RevWalk walk = new RevWalk(pack)) {
            while (!queue.isEmpty() && found.size() < MAX_CANDIDATES) {
                ObjectId id = queue.poll();
                if (!seen.add(id)) {
                    continue;
                }
                if (!pack.getObjectDatabase().has(id)) {
                    found.add(id.name());
                    continue;
                }
                RevCommit commit = walk.parseCommit(id);
                for (RevCommit parent : commit.getParents()) {
                    queue.add(parent.getId());
                }
            }
        }
        for (RefUpdate update : writes) {
            if (!update.isCreate()) {
                found.add(update.oldId());
            }
        }
        if (baseBranch != null) {
            found.add(baseBranch);
        }
        return new ArrayList<>(found).subList(0, Math.min(found.size(), MAX_CANDIDATES));
    }

    /** One ref's new tip against its base. */
    private final class Comparison {

        private final Repository pack;
        private final long projectId;
        private final String token;
        private final String base;
        private final List<String> candidates;

        Comparison(Repository pack, long projectId, String token, String base, List<String> candidates) {
            this.pack = pack;
            this.projectId = projectId;
            this.token = token;
            this.base = base;
            this.candidates = candidates;
        }

        Optional<String> firstChange(String newTip) throws IOException {
            ObjectId tip = ObjectId.fromString(newTip);
            List<Entry> root;
            if (pack.getObjectDatabase().has(tip)) {
                try (RevWalk walk = new RevWalk(pack)) {
                    root = newEntries("", walk.parseCommit(tip).getTree().getId());
                }
            } else {
                // A commit GitLab already has (e.g. a branch created at an existing commit).
                root = trees.list(projectId, newTip, null, false, token).orElseThrow(() -> new ProxyRefusal(400,
                        "the pushed commit " + newTip + " is neither in the pack nor in the repository"));
            }
            return diff("", root, true);
        }

        private Optional<String> diff(String path, List<Entry> news, boolean baseMayHave) throws IOException {
            Map<String, Entry> bases = new TreeMap<>();
            if (baseMayHave && base != null) {
                trees.list(projectId, base, path.isEmpty() ? null : path, false, token)
                        .ifPresent(list -> list.forEach(entry -> bases.put(entry.name(), entry)));
            }
            Map<String, Entry> byName = new TreeMap<>();
            news.forEach(entry -> byName.put(entry.name(), entry));
            Set<String> names = new java.util.TreeSet<>(byName.keySet());
            names.addAll(bases.keySet());
            for (String name : names) {
                Entry now = byName.get(name);
                Entry before = bases.get(name);
                String child = path.isEmpty() ? name : path + "/" + name;
                if (now != null && before != null && now.id().equals(before.id()) && now.type().equals(before.type())) {
                    continue;
                }
                boolean nowTree = now != null && now.isTree();
                boolean beforeTree = before != null && before.isTree();
                if ((now != null && !nowTree || before != null && !beforeTree) && BranchRules.isCiConfig(child)) {
                    return Optional.of("the agent's definition does not allow changes to CI configuration ("
                            + child + ")");
                }
                if (beforeTree && !nowTree && containsCi(child)) {
                    return Optional.of("the agent's definition does not allow changes to CI configuration (removes "
                            + child + ")");
                }
                if (nowTree) {
                    Optional<String> below = diff(child, newEntries(child, ObjectId.fromString(now.id())), beforeTree);
                    if (below.isPresent()) {
                        return below;
                    }
                }
            }
            return Optional.empty();
        }

        private boolean containsCi(String path) throws IOException {
            return trees.list(projectId, base, path, true, token).orElse(List.of()).stream()
                    .anyMatch(entry -> !entry.isTree() && BranchRules.isCiConfig(entry.path()));
        }

        /** A directory of the new tip: from the pack, else from a commit GitLab has that holds the same tree. */
        private List<Entry> newEntries(String path, ObjectId tree) throws IOException {
            if (pack.getObjectDatabase().has(tree)) {
                List<Entry> entries = new ArrayList<>();
                try (TreeWalk walk = new TreeWalk(pack)) {
                    walk.addTree(tree);
                    walk.setRecursive(false);
                    while (walk.next()) {
                        FileMode mode = walk.getFileMode(0);
                        String type = mode == FileMode.TREE ? "tree" : mode == FileMode.GITLINK ? "commit" : "blob";
                        entries.add(new Entry(walk.getObjectId(0).name(), walk.getNameString(), type,
                                path.isEmpty() ? walk.getPathString() : path + "/" + walk.getPathString(),
                                String.format("%06o", mode.getBits())));
                    }
                }
                return entries;
            }
            for (String candidate : candidates) {
                Optional<List<Entry>> listed = trees.list(projectId, candidate, path.isEmpty() ? null : path, false, token);
                if (listed.isPresent() && treeId(listed.get()).equals(tree)) {
                    return listed.get();
                }
            }
            throw new ProxyRefusal(403, "the push reuses a directory (" + (path.isEmpty() ? "/" : path)
                    + ") the proxy cannot read to check it for CI configuration; push it as new commits on the branch");
        }
    }

    /** The git tree id of a listing, to match it with a tree the pack names but does not carry. */
    static ObjectId treeId(List<Entry> entries) {
        TreeFormatter formatter = new TreeFormatter();
        entries.stream().sorted(Comparator.comparing(PushCiInspector::sortKey)).forEach(entry -> formatter.append(
                entry.name(), FileMode.fromBits(Integer.parseInt(entry.mode(), 8)), ObjectId.fromString(entry.id())));
        try (ObjectInserter.Formatter hasher = new ObjectInserter.Formatter()) {
            return hasher.idFor(Constants.OBJ_TREE, formatter.toByteArray());
        }
    }

    /** Git orders tree entries by name, a directory as if its name ended in {@code /}. */
    private static String sortKey(Entry entry) {
        return entry.isTree() ? entry.name() + "/" : entry.name();
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temp directory left behind holds no secret; the next start's temp cleanup takes it.
        }
    }
}
