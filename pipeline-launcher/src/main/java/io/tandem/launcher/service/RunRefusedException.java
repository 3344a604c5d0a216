package io.tandem.launcher.service;

/** A run that must not start, for a reason the requester is told in the thread; never retried. */
public class RunRefusedException extends RuntimeException {

    public RunRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
