package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.gitlab4j.api.models.Commit;
import org.gitlab4j.api.models.Job;
import org.junit.jupiter.api.Test;

/** The rules behind a run's end: which commits are the agent's, and how a failed job is named. */
class RunEndingTest {

    private static final String ID = "7f0c2a4e-1b2c-4d5e-8f90-123456789abc";

    @Test
    void tandemsOwnCiFileCommitIsNotTheAgentsWork() {
        assertEquals(0, ResultBranchCheck.agentCommits(List.of(commit("Tandem run " + ID + " (Claude Code)")), ID));
        assertEquals(0, ResultBranchCheck.agentCommits(List.of(), ID));
        assertEquals(0, ResultBranchCheck.agentCommits(null, ID));
    }

    @Test
    void anyOtherCommitIsTheAgentsWork() {
        assertEquals(1, ResultBranchCheck.agentCommits(List.of(commit("Tandem run " + ID + " (Claude Code)"),
                commit("Fix the flaky test\n\nDetails")), ID));
        // another run's CI-file commit (the agent reset onto a branch that carries one) counts as work
        assertEquals(1, ResultBranchCheck.agentCommits(List.of(commit("Tandem run 00000000-other (Codex)")), ID));
        assertEquals(1, ResultBranchCheck.agentCommits(List.of(commit(null)), ID));
    }

    @Test
    void theFirstFailedJobIsNamedWithItsPage() {
        assertEquals("Job `tandem-agent` failed: https://gitlab.example.com/g/p/-/jobs/42",
                FailedJobDetail.describe(List.of(job("tandem-agent", "https://gitlab.example.com/g/p/-/jobs/42"))));
        assertEquals("Job `build` failed: https://g/-/jobs/1 (and 2 more failed jobs)",
                FailedJobDetail.describe(List.of(job("build", "https://g/-/jobs/1"), job("test", "https://g/-/jobs/2"),
                        job("lint", "https://g/-/jobs/3"))));
        assertNull(FailedJobDetail.describe(List.of()));
    }

    private static Commit commit(String message) {
        Commit commit = new Commit();
        commit.setMessage(message);
        return commit;
    }

    private static Job job(String name, String webUrl) {
        Job job = new Job();
        job.setName(name);
        job.setWebUrl(webUrl);
        return job;
    }
}
