package io.tandem.sim.repository;

/** A variable passed when the pipeline was created. */
public record PipelineVariable(String key, String value, String variableType) {
}
