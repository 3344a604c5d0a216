package io.tandem.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.identity.repository.InvocationDecisionEntity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy's rules without any server: paths, roles, branches, CI files and push command lists. */
class ProxyRulesTest {

    private static final List<String> BRANCHES = List.of("workloads/abc", "feature/x");
    private final GitlabCallPolicy policy = new GitlabCallPolicy();
    private final WriteTargets targets = new WriteTargets(new ObjectMapper());
    private final RunContext run = run();

    @Test
    void onlyTheRunsProjectByIdOrPathAndAFewReadsOutsideIt() {
        assertEquals(AccessLevels.REPORTER, policy.classify("GET", "/projects/12/issues", run).requiredLevel());
        assertEquals(AccessLevels.REPORTER, policy.classify("GET", "/projects/Acme%2FApp/issues", run).requiredLevel());
        assertFalse(policy.classify("GET", "/user", run).write());
        for (String path : List.of("/projects/13/issues", "/projects/acme%2Fother", "/groups/4", "/projects",
                "/projects/12/../13", "/projects/12/%2e%2e/13", "/projects/acme%252Fapp", "/users/2/projects/x/y")) {
            assertEquals(403, assertThrows(ProxyRefusal.class, () -> policy.classify("GET", path, run)).status(), path);
        }
        assertEquals(403, assertThrows(ProxyRefusal.class, () -> policy.classify("POST", "/user/keys", run)).status());
    }

    @Test
    void writesNeedDeveloperAndSettingsNeedMaintainer() {
        assertEquals(AccessLevels.DEVELOPER, policy.classify("POST", "/projects/12/issues/1/notes", run).requiredLevel());
        assertEquals(AccessLevels.MAINTAINER, policy.classify("POST", "/projects/12/hooks", run).requiredLevel());
        assertEquals(AccessLevels.MAINTAINER, policy.classify("PUT", "/projects/12/members/5", run).requiredLevel());
        assertEquals(AccessLevels.MAINTAINER, policy.classify("PUT", "/projects/12", run).requiredLevel());
        assertEquals(AccessLevels.OWNER, policy.classify("DELETE", "/projects/12", run).requiredLevel());
        assertThrows(ProxyRefusal.class, () -> policy.classify("PUT", "/projects/12/merge_requests/3/merge", run));
        assertThrows(ProxyRefusal.class, () -> policy.classify("POST", "/projects/12/repository/tags", run));
        assertThrows(ProxyRefusal.class, () -> policy.classify("POST", "/projects/12/fork", run));
    }

    @Test
    void branchWritesGoOnlyToTheRunsBranchesAndNeverTouchCiConfiguration() {
        ApiCall commits = policy.classify("POST", "/projects/12/repository/commits", run);
        targets.check(commits, List.of(), "application/json", json("workloads/abc", "src/a.txt"), run.claims(), false);
        assertEquals(403, refused(commits, json("main", "src/a.txt")).status());
        assertEquals(403, refused(commits, json("workloads/abc", ".gitlab-ci.yml")).status());
        assertEquals(403, refused(commits, json("workloads/abc", ".gitlab/ci/build.yml")).status());
        assertEquals(400, refused(commits, "{\"actions\": []}".getBytes(StandardCharsets.UTF_8)).status());

        ApiCall file = policy.classify("PUT", "/projects/12/repository/files/.gitlab-ci.yml", run);
        assertEquals(403, assertThrows(ProxyRefusal.class, () -> targets.check(file, List.of(Map.entry("branch", "feature/x")),
                null, null, run.claims(), false)).status());
        targets.check(file, List.of(Map.entry("branch", "feature/x")), null, null, run.claims(), true);

        ApiCall form = policy.classify("POST", "/projects/12/repository/commits", run);
        byte[] formBody = "branch=workloads%2Fabc&actions%5B%5D%5Bfile_path%5D=.gitlab-ci.yml".getBytes(StandardCharsets.UTF_8);
        assertThrows(ProxyRefusal.class, () -> targets.check(form, List.of(), "application/x-www-form-urlencoded",
                formBody, run.claims(), false));

        ApiCall deleteMain = policy.classify("DELETE", "/projects/12/repository/branches/main", run);
        assertThrows(ProxyRefusal.class, () -> targets.check(deleteMain, List.of(), null, null, run.claims(), false));
        ApiCall deleteOwn = policy.classify("DELETE", "/projects/12/repository/branches/workloads%2Fabc", run);
        targets.check(deleteOwn, List.of(), null, null, run.claims(), false);
    }

    @Test
    void branchPatternsAndRefs() {
        assertTrue(BranchRules.allowed("workloads/abc", BRANCHES));
        assertTrue(BranchRules.refAllowed("refs/heads/feature/x", BRANCHES));
        assertFalse(BranchRules.refAllowed("refs/tags/workloads/abc", BRANCHES));
        assertFalse(BranchRules.allowed("workloads/abcd", BRANCHES));
        assertTrue(BranchRules.allowed("workloads/7", List.of("workloads/*")));
        assertFalse(BranchRules.allowed("main", List.of("workloads/*")));
    }

    @Test
    void theReceivePackCommandListIsReadUpToTheFlushAndNoFurther() {
        String zero = "0".repeat(40);
        String one = "1".repeat(40);
        String first = zero + " " + one + " refs/heads/workloads/abc\0report-status side-band-64k\n";
        String second = one + " " + zero + " refs/heads/main\n";
        String body = pkt(first) + pkt(second) + "0000PACK\u0000\u0000\u0000\u0002";
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);

        ReceivePackCommands.Parsed parsed = ReceivePackCommands.parse(bytes, bytes.length);
        assertEquals(List.of("refs/heads/workloads/abc", "refs/heads/main"),
                parsed.updates().stream().map(ReceivePackCommands.RefUpdate::ref).toList());
        assertEquals(body.indexOf("PACK"), parsed.end());
        assertNull(ReceivePackCommands.parse(bytes, pkt(first).length() + 3), "incomplete: more data needed");
        byte[] garbage = "zzzz".getBytes(StandardCharsets.US_ASCII);
        assertThrows(ProxyRefusal.class, () -> ReceivePackCommands.parse(garbage, garbage.length));
    }

    private ProxyRefusal refused(ApiCall call, byte[] body) {
        return assertThrows(ProxyRefusal.class, () -> targets.check(call, List.of(), "application/json", body,
                run.claims(), false));
    }

    private static byte[] json(String branch, String file) {
        return ("{\"branch\": \"" + branch + "\", \"commit_message\": \"m\", \"actions\": [{\"action\": \"create\","
                + " \"file_path\": \"" + file + "\", \"content\": \"x\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String pkt(String line) {
        return String.format("%04x", line.length() + 4) + line;
    }

    private static RunContext run() {
        InvocationDecisionEntity decision = new InvocationDecisionEntity();
        decision.projectId = 12L;
        decision.projectPath = "acme/app";
        decision.serviceAccountUsername = "ai-agent-acme";
        decision.requesterUsername = "dev";
        return new RunContext(new RunClaims("abc", "jti", "ai-agent-acme", "dev", 3L, 12L, "acme/app", BRANCHES,
                Instant.now().plusSeconds(60)), decision);
    }
}
