package io.tandem.sim.service;

import io.tandem.sim.repository.CommitInfo;
import io.tandem.sim.repository.GitDiffs;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git over smart HTTP (protocol v0, stateless RPC) with JGit: who may fetch or push, the ref
 * advertisement, the upload-pack and receive-pack exchanges, and a Push Hook per pushed branch.
 */
@ApplicationScoped
public class GitHttpService {

    public static final String UPLOAD_PACK = "git-upload-pack";
    public static final String RECEIVE_PACK = "git-receive-pack";
    private static final int MAX_HOOK_COMMITS = 20;

    private final AccessPolicy access;
    private final UserService users;
    private final GitRepositories git;
    private final GitDiffs diffs;
    private final HookService hooks;
    private final HookPayloads payloads;

    public GitHttpService(AccessPolicy access, UserService users, GitRepositories git, GitDiffs diffs,
            HookService hooks, HookPayloads payloads) {
        this.access = access;
        this.users = users;
        this.git = git;
        this.diffs = diffs;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    /** Outcome of the access check: the project and user (null if anonymous), or an HTTP status to answer. */
    public record Decision(Project project, User user, int status, String message) {
        public boolean allowed() {
            return status == 200;
        }
    }

    /**
     * GitLab's rules: anonymous fetch of public projects; otherwise a token (as the basic-auth password)
     * is needed (401), the project must be visible (404), fetching needs Reporter (or a public/internal
     * project) and pushing Developer (403).
     */
    public Decision authorize(String projectPath, String service, String token) {
        Optional<User> user = users.authenticate(token);
        if (token != null && user.isEmpty()) {
            return new Decision(null, null, 401, "HTTP Basic: Access denied");
        }
        Optional<Project> project = projectPath.contains("/") ? access.findProject(projectPath) : Optional.empty();
        boolean push = RECEIVE_PACK.equals(service);
        if (user.isEmpty()) {
            if (!push && project.isPresent() && "public".equals(project.get().visibility)) {
                return new Decision(project.get(), null, 200, null);
            }
            return new Decision(null, null, 401, "HTTP Basic: Access denied");
        }
        if (project.isEmpty() || !access.canRead(user.get(), project.get())) {
            return new Decision(null, user.get(), 404, "The project you were looking for could not be found.");
        }
        int level = access.effectiveProjectLevel(user.get(), project.get());
        boolean canFetch = level >= AccessLevels.REPORTER || !"private".equals(project.get().visibility);
        if (push ? level < AccessLevels.DEVELOPER : !canFetch) {
            return new Decision(project.get(), user.get(), 403, push
                    ? "You are not allowed to push code to this project."
                    : "You are not allowed to download code from this project.");
        }
        return new Decision(project.get(), user.get(), 200, null);
    }

    /** The body of {@code GET info/refs?service=...}: the service line, a flush, then the refs. */
    public void advertise(Decision decision, String service, OutputStream out) throws IOException {
        PacketLineOut packets = new PacketLineOut(out);
        packets.writeString("# service=" + service + "\n");
        packets.end();
        RefAdvertiser.PacketLineOutRefAdvertiser advertiser = new RefAdvertiser.PacketLineOutRefAdvertiser(packets);
        Repository repo = git.repository(decision.project().id);
        if (UPLOAD_PACK.equals(service)) {
            uploadPack(repo).sendAdvertisedRefs(advertiser);
        } else {
            receivePack(repo, decision).sendAdvertisedRefs(advertiser);
        }
        out.flush();
    }

    public void upload(Decision decision, InputStream in, OutputStream out) throws IOException {
        uploadPack(git.repository(decision.project().id)).upload(in, out, null);
    }

    public void receive(Decision decision, InputStream in, OutputStream out) throws IOException {
        receivePack(git.repository(decision.project().id), decision).receive(in, out, null);
    }

    private static UploadPack uploadPack(Repository repo) {
        UploadPack pack = new UploadPack(repo);
        pack.setBiDirectionalPipe(false);
        return pack;
    }

    private ReceivePack receivePack(Repository repo, Decision decision) {
        ReceivePack pack = new ReceivePack(repo);
        pack.setBiDirectionalPipe(false);
        User user = decision.user();
        pack.setRefLogIdent(new PersonIdent(user.name, user.email == null ? "" : user.email));
        pack.setPostReceiveHook((rp, commands) -> pushed(decision, commands));
        return pack;
    }

    private void pushed(Decision decision, Collection<ReceiveCommand> commands) {
        Project project = decision.project();
        for (ReceiveCommand command : commands) {
            if (command.getResult() != ReceiveCommand.Result.OK
                    || !command.getRefName().startsWith(Constants.R_HEADS)) {
                continue;
            }
            String branch = command.getRefName().substring(Constants.R_HEADS.length());
            String before = command.getOldId().name();
            String after = command.getNewId().name();
            List<CommitInfo> commits = List.of();
            if (!command.getNewId().equals(ObjectId.zeroId())) {
                String from = command.getOldId().equals(ObjectId.zeroId())
                        ? git.branchHead(project.id, project.defaultBranch).filter(h -> !h.equals(after)).orElse(null)
                        : before;
                commits = from == null ? List.of(git.commit(project.id, after).orElseThrow())
                        : diffs.commitsBetween(project.id, from, after);
                if (commits.size() > MAX_HOOK_COMMITS) {
                    commits = commits.subList(commits.size() - MAX_HOOK_COMMITS, commits.size());
                }
            }
            project.lastActivityAt = Instant.now();
            hooks.fire(project, "push_events", "Push Hook",
                    payloads.push(project, decision.user(), branch, before, after, commits));
        }
    }
}
