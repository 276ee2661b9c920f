package io.triaready.fix;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.triaready.core.result.Outcome;

/**
 * The record of one fix attempt: when, who, where, what ran, and each repaired check's outcome
 * before and after. Kept with the audit history. {@code reasons} holds, for each repaired check that
 * does not pass at the end, the check's own message (why it still fails).
 */
public record FixResult(String fixId, String title, String playbookId, String target, List<String> hosts, String operator,
                        Instant started, Instant finished, FixStatus status, String message, List<StepLog> steps,
                        Map<String, Outcome> before, Map<String, Outcome> after, Map<String, String> reasons) {
    public FixResult {
        hosts = List.copyOf(hosts);
        steps = List.copyOf(steps);
        before = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(before));
        after = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(after));
        reasons = reasons == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reasons));
    }

    /** Without reasons. */
    public FixResult(String fixId, String title, String playbookId, String target, List<String> hosts, String operator,
                     Instant started, Instant finished, FixStatus status, String message, List<StepLog> steps,
                     Map<String, Outcome> before, Map<String, Outcome> after) {
        this(fixId, title, playbookId, target, hosts, operator, started, finished, status, message, steps, before, after, Map.of());
    }

    public boolean succeeded() { return status == FixStatus.FIXED || status == FixStatus.NOTHING_TO_FIX; }
}
