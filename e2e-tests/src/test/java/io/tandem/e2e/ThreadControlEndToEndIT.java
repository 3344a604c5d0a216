package io.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.PipelineStatus;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One run per thread and the in-thread verbs, end to end: a mention during a run waits for it, a burst of
 * mentions becomes one follow-up, {@code stop}, {@code retry} and {@code status} work for a Developer and are
 * refused to a Guest with an answer, edited comments and mentions in code start nothing, and the group's
 * "allow external agents" switch stops new runs and says so. Each test works in its own issue; every comment a
 * test writes carries the test's tag, so its pipelines are the project's pipelines whose input has the tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class ThreadControlEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            """;
    static final String SA = "ai-claude-code-control";
    static final String MENTION = "@" + SA;
    /** A pipeline that has not appeared by then is taken as "not started" while the test watches. */
    static final Duration STAYS_ABSENT = Duration.ofSeconds(3);

    SimGitlab sim;
    Group group;
    Project project;
    TandemAdmin owner;
    GitLabApi carl;
    GitLabApi cleo;
    GitLabApi gwen;

    @BeforeAll
    void startStackAndSeed() throws Exception {
        TandemStack stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        GitLabApi root = sim.root;

        User carla = sim.createUser("carla");
        User carlUser = sim.createUser("carl");
        User cleoUser = sim.createUser("cleo");
        User gwenUser = sim.createUser("gwen");
        carl = sim.as(carlUser);
        cleo = sim.as(cleoUser);
        gwen = sim.as(gwenUser);

        group = root.getGroupApi().addGroup("Control", "control");
        root.getGroupApi().addMember(group.getId(), carla.getId(), AccessLevel.OWNER);
        project = root.getProjectApi().createProject(group.getId(), "console");
        root.getProjectApi().addMember(project.getId(), carlUser.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), cleoUser.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), gwenUser.getId(), AccessLevel.GUEST);

        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setIssuesEvents(true);
        events.setMergeRequestsEvents(true);
        events.setPipelineEvents(true);
        events.setConfidentialNoteEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);

        owner = new TandemAdmin(stack.url("trigger-matcher"), sim.token(carla));
        long agentId = owner.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        assertThat(owner.enableInGroup(group.getId(), agentId).username()).isEqualTo(SA);
        owner.enableInProject(project.getId(), agentId, List.of("mention"));
    }

    /** A test that failed half way leaves no run behind: whatever still runs in the project ends. */
    @AfterEach
    void finishLeftoverRuns() throws GitLabApiException {
        for (Pipeline p : sim.pipelines(project.getId(), vars -> true)) {
            if (p.getStatus() == PipelineStatus.PENDING || p.getStatus() == PipelineStatus.RUNNING) {
                succeed(p);
            }
        }
    }

    @Test
    @Order(1)
    void aSecondMentionDuringARunIsQueuedAndRunsWhenTheFirstEnds() throws Exception {
        String tag = "ctl-queue";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Export times out", "CSV export of 1M rows");
        SimThread thread = issueThread(issue);
        String first = MENTION + " find why the export times out " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), first);
        Pipeline firstRun = sim.awaitPipelineFor(project.getId(), first);
        sim.pipelineStatus(project.getId(), firstRun.getId(), "running");

        String second = MENTION + " also check the PDF export " + tag;
        cleo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), second);
        SimThread.Note queued = thread.awaitState(SA, "QUEUED");
        assertThat(queued.body()).as("the queued note answers the second requester").contains("@cleo");
        await().during(STAYS_ABSENT).atMost(STAYS_ABSENT.plusSeconds(5))
                .until(() -> sim.pipelinesFor(project.getId(), second).isEmpty());
        assertThat(status(firstRun)).isEqualTo(PipelineStatus.RUNNING);

        succeed(firstRun);
        Pipeline secondRun = sim.awaitPipelineFor(project.getId(), second);
        Pipeline firstEnded = pipeline(firstRun);
        assertThat(firstEnded.getStatus()).isEqualTo(PipelineStatus.SUCCESS);
        assertThat(secondRun.getCreatedAt()).as("the follow-up starts once the first run has finished")
                .isAfterOrEqualTo(firstEnded.getFinishedAt());
        assertThat(tagged(tag)).extracting(Pipeline::getId).containsExactly(firstRun.getId(), secondRun.getId());

        SimThread.Note followUp = awaitProgressNote(thread, secondRun);
        succeed(secondRun);
        thread.awaitNote(n -> n.id() == followUp.id() && n.isState("SUCCEEDED"));
    }

    @Test
    @Order(2)
    void fiveMentionsInASecondDuringARunMakeOneFollowUp() throws Exception {
        String tag = "ctl-burst";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Cache misses", "hit rate fell to 40%");
        SimThread thread = issueThread(issue);
        String first = MENTION + " why did the cache hit rate fall " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), first);
        Pipeline firstRun = sim.awaitPipelineFor(project.getId(), first);
        sim.pipelineStatus(project.getId(), firstRun.getId(), "running");

        List<String> burst = List.of(1, 2, 3, 4, 5).stream()
                .map(i -> MENTION + " and look at region " + i + " " + tag).toList();
        for (String mention : burst) {
            carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), mention);
        }
        // Notes of a thread are handled in order: once this command is answered, the burst has been handled.
        Note barrier = carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " status");
        thread.awaitNote(n -> n.author().equals(SA) && isReply(n) && n.id() > barrier.getId());
        assertThat(tagged(tag)).as("the burst waits for the active run").hasSize(1);

        succeed(firstRun);
        Pipeline followUp = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> tagged(tag), runs -> runs.size() >= 2).get(1);
        String followUpInput = sim.variables(project.getId(), followUp).get("AI_FLOW_INPUT");
        assertThat(followUpInput).as("one follow-up serves the whole burst").contains(burst);
        await().during(STAYS_ABSENT).atMost(STAYS_ABSENT.plusSeconds(5)).until(() -> tagged(tag).size() == 2);
        succeed(followUp);

        // Had the burst fanned out, another follow-up would take the thread before this sentinel.
        String sentinel = MENTION + " sentinel after the burst " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), sentinel);
        List<Pipeline> runs = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> tagged(tag), all -> all.size() >= 3);
        assertThat(runs).as("first run, one follow-up, sentinel").hasSize(3);
        assertThat(sim.variables(project.getId(), runs.get(2))).containsEntry("AI_FLOW_INPUT", sentinel);
        assertThat(await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> progressNotes(thread), notes -> notes.size() >= 3))
                .as("one progress note per run").hasSize(3);
        succeed(runs.get(2));
    }

    @Test
    @Order(3)
    void aDeveloperStopsRetriesAndAsksForStatus() throws Exception {
        String tag = "ctl-verbs";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Migrate to Java 21", "and fix warnings");
        SimThread thread = issueThread(issue);
        String ask = MENTION + " migrate the build to Java 21 " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), ask);
        Pipeline run = sim.awaitPipelineFor(project.getId(), ask);
        SimThread.Note progress = awaitProgressNote(thread, run);
        sim.pipelineStatus(project.getId(), run.getId(), "running");
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("RUNNING"));

        cleo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " stop");
        await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> status(run) == PipelineStatus.CANCELED);
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("CANCELED"));

        cleo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " retry");
        List<Pipeline> both = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> tagged(tag), all -> all.size() >= 2);
        assertThat(both).hasSize(2);
        Pipeline retried = both.get(1);
        assertThat(retried.getId()).isNotEqualTo(run.getId());
        assertThat(sim.variables(project.getId(), retried)).as("the retry runs the last run's input again")
                .containsEntry("AI_FLOW_INPUT", ask)
                .containsEntry("AI_FLOW_EVENT", "mention");
        SimThread.Note again = awaitProgressNote(thread, retried);
        sim.pipelineStatus(project.getId(), retried.getId(), "running");
        thread.awaitNote(n -> n.id() == again.id() && n.isState("RUNNING"));

        cleo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " status");
        SimThread.Note answer = thread.awaitNote(n -> n.author().equals(SA) && isReply(n)
                && n.body().contains(retried.getWebUrl()));
        assertThat(answer.body()).as("status names the active run's state").contains("running");
        assertThat(tagged(tag)).as("status starts nothing").hasSize(2);

        succeed(retried);
        thread.awaitNote(n -> n.id() == again.id() && n.isState("SUCCEEDED"));
    }

    @Test
    @Order(4)
    void aGuestsStopRetryAndStatusAreRefusedWithAnAnswer() throws Exception {
        String tag = "ctl-guest";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Dark mode", "colours in the settings page");
        SimThread thread = issueThread(issue);
        String ask = MENTION + " add a dark mode toggle " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), ask);
        Pipeline run = sim.awaitPipelineFor(project.getId(), ask);
        SimThread.Note progress = awaitProgressNote(thread, run);
        sim.pipelineStatus(project.getId(), run.getId(), "running");
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("RUNNING"));

        List<String> verbs = List.of("stop", "retry", "status");
        for (String verb : verbs) {
            gwen.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " " + verb);
        }
        // A Developer's status after them: once it is answered, the Guest's commands have been handled.
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), MENTION + " status");
        thread.awaitNote(n -> n.author().equals(SA) && isReply(n) && n.body().contains("@carl")
                && n.body().contains(run.getWebUrl()));
        assertThat(status(run)).as("a Guest's stop cancels nothing").isEqualTo(PipelineStatus.RUNNING);
        assertThat(tagged(tag)).as("a Guest's retry starts nothing").hasSize(1);
        assertThat(thread.notes()).filteredOn(n -> n.id() == progress.id()).singleElement()
                .matches(n -> n.isState("RUNNING"), "progress note still RUNNING");

        // Design point 3: each refused command is answered, to the Guest, with the reason.
        List<SimThread.Note> refusals = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> thread.notesBy(SA).stream().filter(n -> isReply(n) && n.body().contains("@gwen")
                        && n.body().contains("requires the Developer role")).toList(), found -> found.size() >= 3);
        assertThat(refusals).as("one answer per refused command").hasSize(3);
        for (String verb : verbs) {
            assertThat(refusals).as("the refusal of " + verb).anyMatch(n -> n.body().contains(verb));
        }

        succeed(run);
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
    }

    @Test
    @Order(5)
    void anEditedCommentAndMentionsInCodeStartNothing() throws Exception {
        String tag = "ctl-quiet";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Retry policy", "backoff for the client");
        SimThread thread = issueThread(issue);

        Note draft = carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(),
                "I will ask the agent about this later " + tag);
        String edited = MENTION + " suggest a retry policy (edited in) " + tag;
        carl.getNotesApi().updateIssueNote(project.getId(), issue.getIid(), draft.getId(), edited);
        String fenced = "Example of what not to do:\n\n```\n" + MENTION + " run this in a block " + tag + "\n```\n";
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), fenced);
        String inline = "You would write `" + MENTION + " explain the backoff` to ask it " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), inline);

        String sentinel = MENTION + " sentinel after the edit and the code " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), sentinel);
        Pipeline run = firstTagged(tag);
        assertThat(sim.variables(project.getId(), run)).as("the first run of the thread is the sentinel's")
                .containsEntry("AI_FLOW_INPUT", sentinel);
        SimThread.Note progress = awaitProgressNote(thread, run);
        assertThat(tagged(tag)).as("only the sentinel started a run").extracting(Pipeline::getId)
                .containsExactly(run.getId());
        assertThat(progressNotes(thread)).as("only the sentinel is answered").extracting(SimThread.Note::id)
                .containsExactly(progress.id());

        succeed(run);
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
    }

    @Test
    @Order(6)
    void theGroupSwitchTurnedOffStopsNewRunsAndSaysSo() throws Exception {
        String tag = "ctl-switch";
        Issue issue = carl.getIssuesApi().createIssue(project.getId(), "Audit log", "who changed the settings");
        SimThread thread = issueThread(issue);
        String blocked = MENTION + " list who changed the settings " + tag;
        owner.allowExternalAgents(group.getId(), false);
        try {
            carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), blocked);
            // Design point 2: the blocked trigger is answered with a REFUSED progress note giving the reason.
            SimThread.Note refused = thread.awaitState(SA, "REFUSED");
            assertThat(refused.body()).contains("external agents are turned off");
            assertThat(tagged(tag)).as("the switch is off: no pipeline").isEmpty();
        } finally {
            owner.allowExternalAgents(group.getId(), true);
        }

        String allowed = MENTION + " now list who changed the settings " + tag;
        carl.getNotesApi().createIssueNote(project.getId(), issue.getIid(), allowed);
        Pipeline run = firstTagged(tag);
        assertThat(sim.variables(project.getId(), run)).as("only the mention made after the switch was turned on runs")
                .containsEntry("AI_FLOW_INPUT", allowed);
        assertThat(tagged(tag)).extracting(Pipeline::getId).containsExactly(run.getId());

        SimThread.Note progress = awaitProgressNote(thread, run);
        succeed(run);
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private SimThread issueThread(Issue issue) {
        return SimThread.issue(sim.url(), project.getId(), issue.getIid());
    }

    /** The project's pipelines, oldest first, whose input carries the test's tag. */
    private List<Pipeline> tagged(String tag) throws GitLabApiException {
        return sim.pipelines(project.getId(), vars -> vars.getOrDefault("AI_FLOW_INPUT", "").contains(tag));
    }

    /**
     * The first pipeline of the test's thread. A sentinel's pipeline is awaited this way: had an earlier comment
     * wrongly started a run, that run would come first (and the sentinel would wait behind it).
     */
    private Pipeline firstTagged(String tag) {
        return await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> tagged(tag), runs -> !runs.isEmpty()).get(0);
    }

    private Pipeline pipeline(Pipeline pipeline) throws GitLabApiException {
        return sim.root.getPipelineApi().getPipeline(project.getId(), pipeline.getId());
    }

    private PipelineStatus status(Pipeline pipeline) throws GitLabApiException {
        return pipeline(pipeline).getStatus();
    }

    private void succeed(Pipeline pipeline) {
        sim.pipelineStatus(project.getId(), pipeline.getId(), "success");
    }

    /** The progress note of the run whose pipeline is {@code run}, once it links the pipeline. */
    private static SimThread.Note awaitProgressNote(SimThread thread, Pipeline run) {
        return thread.awaitNote(n -> n.author().equals(SA) && isProgress(n) && n.body().contains(run.getWebUrl()));
    }

    private static boolean isProgress(SimThread.Note note) {
        return note.body().contains("<!-- tandem:state:");
    }

    private static boolean isReply(SimThread.Note note) {
        return note.body().contains("<!-- tandem:reply:");
    }

    /** The agent's progress notes in the thread (one per run), as opposed to its answers to commands. */
    private static List<SimThread.Note> progressNotes(SimThread thread) {
        return thread.notesBy(SA).stream().filter(ThreadControlEndToEndIT::isProgress).toList();
    }
}
