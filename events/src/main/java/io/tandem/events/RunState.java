package io.tandem.events;

/** Where a run is. Terminal states never change again. The order is the order a run moves through. */
public enum RunState {
    QUEUED, PROCESSING, STARTED, RUNNING, SUCCEEDED, FAILED, CANCELED, TIMED_OUT, REFUSED;

    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }
}
