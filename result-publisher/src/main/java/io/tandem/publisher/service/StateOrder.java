package io.tandem.publisher.service;

import io.tandem.events.RunState;

/** A progress note only moves forward: later states replace earlier ones, terminal states stay. */
final class StateOrder {

    /** Whether a note showing {@code current} (null: no note yet) should change to {@code next}. */
    static boolean advances(RunState current, RunState next) {
        // compareTo is the enum's declaration order; states are stored by name, so adding a constant is harmless
        return current == null || (!current.terminal() && next.compareTo(current) > 0);
    }

    private StateOrder() {
    }
}
