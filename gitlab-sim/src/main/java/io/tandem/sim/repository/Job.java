package io.tandem.sim.repository;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A job of a pipeline; its status follows the pipeline's. */
public class Job {
    public long id;
    public String name;
    public String stage;
    public String status;
    /** GitLab's failure reason (e.g. {@code script_failure}) while the job is failed, else null. */
    public String failureReason;
    /** The files of the job's artifacts archive by their path inside it, as a test playing the runner left them. */
    public final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
}
