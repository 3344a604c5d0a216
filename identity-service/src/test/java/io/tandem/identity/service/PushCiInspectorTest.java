package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.identity.client.GitlabTrees.Entry;
import io.tandem.identity.service.ReceivePackCommands.RefUpdate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushes built with JGit as git builds them (a pack without what the server has, not thin), checked against
 * a "GitLab" whose tree API answers from a copy of the repository as it was before the push.
 */
class PushCiInspectorTest {

    private static final String ZERO = "0".repeat(40);
    private static final String OLD_CI = "old: [x]\n";

    private Path root;
    private Repository client;
    private Repository server;
    private Map<String, String> files;
    private ObjectId v1;
    private ObjectId main;

    @BeforeEach
    void twoCommitsOnMain() throws Exception {
        root = Files.createTempDirectory("push-ci-test");
        client = new FileRepository(root.resolve("client.git").toFile());
        client.create(true);
        files = new TreeMap<>(Map.of("README.md", "hi\n", ".gitlab-ci.yml", OLD_CI, "src/a.txt", "a\n",
                "src/deep/b.txt", "b\n"));
        v1 = commit(null, files);
        files.put(".gitlab-ci.yml", "current: [y]\n");
        files.put(".gitlab/ci/x.yml", "x: 1\n");
        main = commit(v1, files);
        org.eclipse.jgit.lib.RefUpdate branch = client.updateRef(Constants.R_HEADS + "main");
        branch.setNewObjectId(main);
        branch.forceUpdate();
        // GitLab as it is before the push: everything so far.
        copy(root.resolve("client.git"), root.resolve("server.git"));
        server = new FileRepository(root.resolve("server.git").toFile());
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void otherFilesPassCiFilesDoNotEvenWhenRevertedToAnOlderContent() throws Exception {
        assertEquals(Map.of(), check(changed("src/deep/c.txt", "new\n"), null));
        assertEquals(Map.of(), check(changed("README.md", "changed\n"), main.name()), "against the old tip");

        assertTrue(check(changed(".gitlab-ci.yml", "leak: [env]\n"), null).get("refs/heads/w").contains(".gitlab-ci.yml"));
        assertTrue(check(changed(".gitlab/ci/y.yml", "y\n"), null).get("refs/heads/w").contains(".gitlab/ci/y.yml"));
        assertTrue(check(changed("sub/.gitlab-ci.yml", "y\n"), null).get("refs/heads/w").contains("sub/.gitlab-ci.yml"));
        String reverted = check(changed(".gitlab-ci.yml", OLD_CI), main.name()).get("refs/heads/w");
        assertTrue(reverted.contains(".gitlab-ci.yml"), "an older blob GitLab has, not in the pack: " + reverted);
    }

    @Test
    void removingTheCiDirectoryIsAChangeAndADeleteNeedsNoCheck() throws Exception {
        Map<String, String> without = new TreeMap<>(files);
        without.remove(".gitlab/ci/x.yml");
        assertTrue(check(commit(main, without), null).get("refs/heads/w").contains(".gitlab"));
        PushCiInspector inspector = new PushCiInspector(this::list);
        Path body = body(List.of(new RefUpdate(main.name(), ZERO, "refs/heads/w")), null);
        assertEquals(Map.of(), inspector.ciChanges(body, Files.size(body), List.of(new RefUpdate(main.name(), ZERO,
                "refs/heads/w")), 1, "main", "token"));
    }

    @Test
    void directoriesNotInThePackAreReadFromACommitGitlabHasOrRefused() throws Exception {
        // An empty commit: its root tree is main's, not in the pack; found at the parent and hashed to match.
        assertEquals(Map.of(), check(commit(main, files), null));
        // A directory moved: its tree is not in the pack and nowhere at that path in GitLab.
        Map<String, String> moved = new TreeMap<>();
        files.forEach((path, content) -> moved.put(path.startsWith("src/") ? "lib/" + path.substring(4) : path, content));
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> check(commit(main, moved), null));
        assertEquals(403, refusal.status());
        assertTrue(refusal.getMessage().contains("lib"), refusal.getMessage());
    }

    @Test
    void treeIdsFollowGitsOrder() throws Exception {
        try (RevWalk walk = new RevWalk(client)) {
            ObjectId tree = walk.parseCommit(main).getTree().getId();
            assertEquals(tree, PushCiInspector.treeId(list(1, main.name(), null, false, "t").orElseThrow()));
        }
    }

    /** The push of {@code tip} to refs/heads/w from {@code old} (null: a new branch based on main). */
    private Map<String, String> check(ObjectId tip, String old) throws IOException {
        RefUpdate update = new RefUpdate(old == null ? ZERO : old, tip.name(), "refs/heads/w");
        Path body = body(List.of(update), tip);
        long packStart = ReceivePackCommands.parse(Files.readAllBytes(body), (int) Files.size(body)).end();
        return new PushCiInspector(this::list).ciChanges(body, packStart, List.of(update), 1, "main", "token");
    }

    private ObjectId changed(String path, String content) throws IOException {
        Map<String, String> next = new TreeMap<>(files);
        next.put(path, content);
        return commit(main, next);
    }

    /** Commands, then the pack git would send: objects of {@code tip} that main does not reach, not thin. */
    private Path body(List<RefUpdate> updates, ObjectId tip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (RefUpdate update : updates) {
            String line = update.oldId() + " " + update.newId() + " " + update.ref()
                    + (first ? "\0report-status side-band-64k" : "") + "\n";
            out.writeBytes(String.format("%04x", line.length() + 4).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            first = false;
        }
        out.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        Path body = Files.createTempFile(root, "body", ".bin");
        try (OutputStream file = Files.newOutputStream(body)) {
            out.writeTo(file);
            if (tip != null) {
                try (PackWriter writer = new PackWriter(client)) {
                    writer.setThin(false);
                    writer.preparePack(NullProgressMonitor.INSTANCE, Set.of(tip), Set.of(main));
                    writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, file);
                }
            }
        }
        return body;
    }

    /** GitLab's tree API over the server copy: one level, or recursive; empty for no such tree. */
    private Optional<List<Entry>> list(long projectId, String ref, String path, boolean recursive, String token)
            throws IOException {
        ObjectId commit = server.resolve(ref.length() == 40 ? ref : Constants.R_HEADS + ref);
        if (commit == null || !server.getObjectDatabase().has(commit)) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(server)) {
            ObjectId tree = walk.parseCommit(commit).getTree();
            if (path != null) {
                try (TreeWalk at = TreeWalk.forPath(server, path, tree)) {
                    if (at == null || at.getFileMode(0) != FileMode.TREE) {
                        return Optional.empty();
                    }
                    tree = at.getObjectId(0);
                }
            }
            List<Entry> entries = new ArrayList<>();
            try (TreeWalk entriesWalk = new TreeWalk(server)) {
                entriesWalk.addTree(tree);
                while (entriesWalk.next()) {
                    FileMode mode = entriesWalk.getFileMode(0);
                    String full = path == null ? entriesWalk.getPathString() : path + "/" + entriesWalk.getPathString();
                    entries.add(new Entry(entriesWalk.getObjectId(0).name(), entriesWalk.getNameString(),
                            mode == FileMode.TREE ? "tree" : "blob", full, String.format("%06o", mode.getBits())));
                    if (recursive && mode == FileMode.TREE) {
                        entriesWalk.enterSubtree();
                    }
                }
            }
            return Optional.of(entries);
        }
    }

    private ObjectId commit(ObjectId parent, Map<String, String> content) throws IOException {
        try (ObjectInserter inserter = client.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (Map.Entry<String, String> file : new LinkedHashMap<>(content).entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent who = new PersonIdent("Agent", "agent@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("change " + System.nanoTime());
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
