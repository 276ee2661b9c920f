package io.triaready.core.result;

import java.util.List;
import java.util.Map;

/**
 * A check's result on one host (or, for target-scoped checks, the single result with host "-").
 * {@code failures} holds one "expected vs actual" line per expectation that did not hold;
 * {@code evidence} the facts that were compared (masked, truncated).
 * {@code durationMs} is the target's time (its attempts, and the pauses between them);
 * {@code queuedMs} the time its attempts waited for a permit of the run or a transport's slot (a
 * connection, channel or lane), left out of the duration.
 */
public record HostResult(String host, Outcome outcome, String message, List<String> failures,
                         Map<String, String> evidence, List<String> notes, long durationMs, int attempts, long queuedMs) {
    public static final String TARGET_HOST = "-";

    /** A result that waited for nothing (results from before {@code queued_ms} existed read as 0). */
    public HostResult(String host, Outcome outcome, String message, List<String> failures,
                      Map<String, String> evidence, List<String> notes, long durationMs, int attempts) {
        this(host, outcome, message, failures, evidence, notes, durationMs, attempts, 0);
    }

    public HostResult {
        failures = List.copyOf(failures);
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
        notes = List.copyOf(notes);
    }
}
