package io.triaready.history;

import java.time.Instant;
import java.util.Objects;

import io.triaready.core.engine.RunResult;
import io.triaready.core.score.Verdict;

/**
 * One recorded audit as the index knows it: enough to draw a score over time and to pick runs,
 * without reading the full result. {@code started} is when the audit started; {@code score} is
 * null when nothing was evaluated. {@code scope} is the run's selection ({@link RunResult#scope()}:
 * "" for every check, "phase p0" ...), null for runs recorded before scopes were kept (unknown).
 */
public record HistoryEntry(String id, Instant started, String playbook, String target, Double score, Verdict verdict, boolean interrupted,
                           String scope) {
    public static HistoryEntry of(String id, RunResult r) {
        return new HistoryEntry(id, r.started(), r.playbookId(), r.target(), r.score().value(), r.verdict(), r.interrupted(), r.scope());
    }

    /** Runs of the same playbook against the same target form one series. */
    public boolean sameSeries(HistoryEntry other) {
        return playbook.equals(other.playbook) && target.equals(other.target);
    }

    /**
     * Two runs whose scores can be compared: same playbook, target and scope. A {@code --phase p0}
     * run's 100 says nothing against a full run's 61.9: they scored different sets of checks.
     */
    public boolean comparable(HistoryEntry other) {
        return sameSeries(other) && Objects.equals(scope, other.scope);
    }

    /** The scope for people: "all checks", "phase p0; skip x", or "scope unknown" for old records. */
    public String scopeLabel() { return label(scope); }

    public static String label(String scope) {
        return scope == null ? "scope unknown" : scope.isEmpty() ? "all checks" : scope;
    }
}
