package io.tandem.sim.repository;

/** A job of a pipeline; its status follows the pipeline's. */
public class Job {
    public long id;
    public String name;
    public String stage;
    public String status;
    /** GitLab's failure reason (e.g. {@code script_failure}) while the job is failed, else null. */
    public String failureReason;
}
