package io.triaready.core.result;

import java.util.List;

import io.triaready.core.playbook.Phase;

/**
 * A check's outcome over the whole target: the worst of its hosts. {@code message} is the one line a
 * report leads with; {@code blockedBy} names the dependency that kept it from running (for a check
 * not run, SKIPPED, the skipped or destructive check it depends on). {@code expect} is what the
 * check expected, as the playbook said it ("status = 200; body contains ok"), so two results can
 * tell when the bar itself changed; null when unknown (results written before it was recorded).
 */
public record CheckResult(String id, String title, Phase phase, String category, double weight, List<String> tags,
                          String fix, String type, String description, Outcome outcome, String message, String blockedBy,
                          List<HostResult> hosts, long durationMs, String expect) {
    public CheckResult {
        tags = List.copyOf(tags);
        hosts = List.copyOf(hosts);
    }

    /** Without the expectation text. */
    public CheckResult(String id, String title, Phase phase, String category, double weight, List<String> tags,
                       String fix, String type, String description, Outcome outcome, String message, String blockedBy,
                       List<HostResult> hosts, long durationMs) {
        this(id, title, phase, category, weight, tags, fix, type, description, outcome, message, blockedBy, hosts, durationMs, null);
    }
}
