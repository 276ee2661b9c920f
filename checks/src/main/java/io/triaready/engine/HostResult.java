package io.triaready.engine;

import java.util.List;
import java.util.Map;

/**
 * A check's result on one host (or, for target-scoped checks, the single result with host "-").
 * {@code failures} holds one "expected vs actual" line per expectation that did not hold;
 * {@code evidence} the facts that were compared (masked, truncated).
 */
public record HostResult(String host, Outcome outcome, String message, List<String> failures,
                         Map<String, String> evidence, List<String> notes, long durationMs, int attempts) {
    public static final String TARGET_HOST = "-";

    public HostResult {
        failures = List.copyOf(failures);
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
        notes = List.copyOf(notes);
    }
}
