package io.tandem.publisher.service;

import io.tandem.events.RunState;

/** A progress note only moves forward: later states replace earlier ones, terminal states stay. */
final class StateOrder {

    /** Whether a note showing {@code current} (null: no note yet) should change to {@code next}. */
    static boolean advances(RunState current, RunState next) {
        return current == null || (!current.terminal() && next.ordinal() > current.ordinal());
    }

    private StateOrder() {
    }
}
