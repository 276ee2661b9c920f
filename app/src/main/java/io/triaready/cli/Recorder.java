package io.triaready.cli;

import java.io.PrintWriter;
import java.util.List;

import io.triaready.engine.RunResult;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
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

    /** The last scores of the same playbook on the same target before this run, oldest first. */
    List<HistoryPoint> previous(RunResult result) {
        if (spec == null || failed) return List.of();
        try {
            return points(store().entries(result.playbookId(), result.target(), TREND_POINTS));
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return List.of();
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
    List<io.triaready.report.RenderOptions.FixNote> fixesSince(RunResult result, List<HistoryPoint> previous) {
        if (spec == null || failed) return List.of();
        java.time.Instant since = previous.isEmpty() ? result.started().minus(java.time.Duration.ofDays(7)) : previous.get(previous.size() - 1).when();
        try {
            return store().fixes(result.playbookId(), result.target(), since).stream()
                    .map(f -> new io.triaready.report.RenderOptions.FixNote(f.finished(), f.fix(), f.status(), f.operator())).toList();
        } catch (StoreException | RuntimeException e) {
            warn(e);
            return List.of();
        }
    }

    /** Records a fix that ran; {@code json} is its masked record. */
    void recordFix(io.triaready.fix.FixResult r, String json) {
        if (spec == null || failed) return;
        try {
            store().saveFix(new io.triaready.history.FixRecord(io.triaready.history.Ids.next(r.started()) + "-" + r.fixId(), r.finished(), r.playbookId(), r.target(),
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
