package io.tandem.sim.rest;

import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Pipeline;

/** The simulator runs no CI: a job's log is a fixed text that only reflects its name and status. */
final class JobLogs {

    private JobLogs() {
    }

    static String trace(Pipeline pipeline, Job job) {
        StringBuilder log = new StringBuilder()
                .append("Running with gitlab-runner 18.5.0 (gitlab-sim)\n")
                .append("Preparing the \"docker\" executor\n")
                .append("Getting source from Git repository\n")
                .append("Checking out ").append(pipeline.sha, 0, 8).append(" as detached HEAD (ref is ")
                .append(pipeline.ref).append(")...\n")
                .append("Executing \"step_script\" stage of the job script\n")
                .append("$ ").append(job.name).append('\n');
        switch (job.status) {
            case "success" -> log.append("Job succeeded\n");
            case "failed" -> log.append("ERROR: Job failed: ").append(job.failureReason).append('\n');
            case "canceled" -> log.append("ERROR: Job failed: canceled\n");
            default -> log.append("Job is ").append(job.status).append("...\n");
        }
        return log.toString();
    }
}
