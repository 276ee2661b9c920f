package io.triaready.engine;

import java.util.List;

import io.triaready.playbook.Phase;

/**
 * A check's outcome over the whole target: the worst of its hosts. {@code message} is the one line a
 * report leads with; {@code blockedBy} names the dependency that kept it from running.
 */
public record CheckResult(String id, String title, Phase phase, String category, double weight, List<String> tags,
                          String fix, String type, String description, Outcome outcome, String message, String blockedBy,
                          List<HostResult> hosts, long durationMs) {
    public CheckResult {
        tags = List.copyOf(tags);
        hosts = List.copyOf(hosts);
    }
}
