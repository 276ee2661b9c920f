package io.triaready.history;

import java.time.Instant;

import io.triaready.engine.RunResult;
import io.triaready.score.Verdict;

/**
 * One recorded audit as the index knows it: enough to draw a score over time and to pick runs,
 * without reading the full result. {@code started} is when the audit started; {@code score} is
 * null when nothing was evaluated.
 */
public record HistoryEntry(String id, Instant started, String playbook, String target, Double score, Verdict verdict, boolean interrupted) {
    public static HistoryEntry of(String id, RunResult r) {
        return new HistoryEntry(id, r.started(), r.playbookId(), r.target(), r.score().value(), r.verdict(), r.interrupted());
    }

    /** Runs of the same playbook against the same target form one series. */
    public boolean sameSeries(HistoryEntry other) {
        return playbook.equals(other.playbook) && target.equals(other.target);
    }
}
