package io.triaready.core.engine;

import java.util.List;
import java.util.Map;

import io.triaready.core.result.Outcome;

/**
 * One attempt's result. {@code queuedNanos}: time it waited for a permit or a slot (not the target's);
 * {@code notStarted}: the run's deadline came before it could start; {@code cutShort}: it came while it ran.
 */
record Observation(Outcome outcome, String message, List<String> failures, Map<String, String> evidence, List<String> notes,
                           long queuedNanos, boolean notStarted, boolean cutShort) {
    Observation(Outcome outcome, String message, List<String> failures, Map<String, String> evidence, List<String> notes) {
        this(outcome, message, failures, evidence, notes, 0, false, false);
    }

    static Observation error(String message) {
        return new Observation(Outcome.ERROR, message, List.of(), Map.of(), List.of());
    }

    static Observation notStarted(long queuedNanos) {
        return new Observation(Outcome.ERROR, Engine.NOT_STARTED, List.of(), Map.of(), List.of(), queuedNanos, true, false);
    }

    Observation queued(long nanos) {
        return new Observation(outcome, message, failures, evidence, notes, nanos, notStarted, cutShort);
    }

    Observation cut() {
        return new Observation(outcome, message + " (cut short by the run's deadline)", failures, evidence, notes, queuedNanos, false, true);
    }
}
