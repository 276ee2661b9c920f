package io.triaready.cli;

import java.io.PrintWriter;
import java.util.List;

import io.triaready.core.engine.RunResult;
import io.triaready.fix.FixResult;
import io.triaready.history.FixRecord;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
import io.triaready.history.Ids;
import io.triaready.history.StoreException;
import io.triaready.history.StoreSpec;
import io.triaready.report.RenderOptions.HistoryPoint;

/**
 * Records audits in the history store, on the audit's behalf: a store that fails must not fail the
 * audit, so every problem becomes a single warning line on stderr (once per run) and the store is
 * left alone for the rest of the run.
 */
final class Recorder {
    /** How many earlier scores reports get for their trend displays. */
    static final int TREND_POINTS = 20;

    private final StoreSpec spec;
    private final PrintWriter err;
    private HistoryStore store;
    private boolean failed;

    private Recorder(StoreSpec spec, PrintWriter err) {
        this.spec = spec;
        this.err = err;
    }

    static Recorder of(StoreSpec spec, PrintWriter err) { return new Recorder(spec, err); }

    static Recorder off() { return new Recorder(null, null); }

    /**
     * The last scores of the same playbook on the same target and of the same scope before this run,
     * oldest first; interrupted runs are left out (their score is of a part of the run).
     */
    List<HistoryPoint> previous(RunResult result) {
        if (spec == null || failed) return List.of();
        try {
            return points(trend(store().entries(result.playbookId(), result.target(), 0), result.scope(), null));
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return List.of();
        }
    }

    /** Of {@code entries} (one playbook and target, oldest first): the complete runs of {@code scope}, except {@code exceptId}, the last TREND_POINTS. */
    static List<HistoryEntry> trend(List<HistoryEntry> entries, String scope, String exceptId) {
        List<HistoryEntry> like = entries.stream()
                .filter(e -> !e.interrupted() && java.util.Objects.equals(e.scope(), scope) && !e.id().equals(exceptId)).toList();
        return like.subList(Math.max(0, like.size() - TREND_POINTS), like.size());
    }

    /** When the previous recorded audit of this playbook on this target started (any scope), or null. */
    java.time.Instant lastAudit(RunResult result) {
        if (spec == null || failed) return null;
        try {
            List<HistoryEntry> last = store().entries(result.playbookId(), result.target(), 1);
            return last.isEmpty() ? null : last.get(0).started();
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    /** Records the run; {@code json} is its masked v1 JSON. Returns the entry, or null when not recorded. */
    HistoryEntry record(RunResult result, String json) {
        if (spec == null || failed) return null;
        try {
            return store().save(result, json);
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    /** Fixes applied to the run's playbook and target since the previous recorded audit (last 7 days when there is none). */
    List<RunResult.AppliedFix> fixesSince(RunResult result, java.time.Instant lastAudit) {
        if (spec == null || failed) return List.of();
        java.time.Instant since = lastAudit == null ? result.started().minus(java.time.Duration.ofDays(7)) : lastAudit;
        try {
            return store().fixes(result.playbookId(), result.target(), since).stream()
                    .map(f -> new RunResult.AppliedFix(f.finished(), f.fix(), f.status(), f.operator())).toList();
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return List.of();
        }
    }

    /** Records a fix that ran; {@code json} is its masked record. */
    void recordFix(FixResult r, String json) {
        if (spec == null || failed) return;
        try {
            store().saveFix(new FixRecord(Ids.next(r.started()) + "-" + r.fixId(), r.finished(), r.playbookId(), r.target(),
                    r.fixId(), r.status().name(), r.operator(), r.message()), json);
        } catch (StoreException | RuntimeException e) {
            failed = true;
            err.println("tria-ready: warning: the fix is not recorded in history: " + e.getMessage());
        }
    }

    static List<HistoryPoint> points(List<HistoryEntry> entries) {
        return entries.stream().map(e -> new HistoryPoint(e.started(), e.score(), e.verdict().name())).toList();
    }

    private HistoryStore store() {
        if (store == null) store = spec.open();
        return store;
    }

    private void warn(Exception e) {
        failed = true;
        String why = e instanceof StoreException ? e.getMessage() : spec.display() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
        err.println("tria-ready: warning: this run is not recorded in history: " + why + " (--no-store skips recording)");
    }
}
