package io.tandem.sim.repository;

/** A job of a pipeline; its status follows the pipeline's. */
public class Job {
    public long id;
    public String name;
    public String stage;
    public String status;
}
