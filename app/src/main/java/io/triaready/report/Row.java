package io.triaready.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;

/**
 * One line of a report: a check on one host. Target-scoped checks, and checks that never ran
 * (blocked, skipped: they have no host results), give a single row with host {@value HostResult#TARGET_HOST}.
 * {@code multiHost} is true when the check ran on several hosts, so the row must name its host.
 */
record Row(CheckResult check, String host, Outcome outcome, String message, List<String> failures,
           Map<String, String> evidence, List<String> notes, long durationMs, int attempts, boolean multiHost) {

    static List<Row> of(RunResult result) {
        List<Row> rows = new ArrayList<>();
        for (CheckResult c : result.checks()) rows.addAll(of(c));
        return rows;
    }

    static List<Row> of(CheckResult c) {
        if (c.hosts().isEmpty()) {
            return List.of(new Row(c, HostResult.TARGET_HOST, c.outcome(), message(c, c.outcome(), null),
                    List.of(), Map.of(), List.of(), c.durationMs(), 0, false));
        }
        boolean multi = c.hosts().size() > 1;
        List<Row> rows = new ArrayList<>();
        for (HostResult h : c.hosts()) {
            rows.add(new Row(c, h.host() == null ? HostResult.TARGET_HOST : h.host(), h.outcome(),
                    message(c, h.outcome(), h.message()), h.failures(), h.evidence(), h.notes(), h.durationMs(),
                    h.attempts(), multi));
        }
        return rows;
    }

    /** The row's one line: its own message, else the check's (when it describes this outcome), else a default. */
    private static String message(CheckResult c, Outcome o, String own) {
        if (own != null && !own.isBlank()) return own;
        if (o == Outcome.BLOCKED && c.blockedBy() != null) return "blocked by " + c.blockedBy();
        if (o == c.outcome() && c.message() != null && !c.message().isBlank()) return c.message();
        return switch (o) {
            case PASS -> "passed";
            case FLAKY -> "passed after a retry";
            case FAIL -> "failed";
            case ERROR -> "could not be evaluated";
            case BLOCKED -> "blocked by a dependency";
            case SKIPPED -> "not selected";
        };
    }

    boolean targetScoped() { return HostResult.TARGET_HOST.equals(host); }

    /** The check's title, with the host appended when the check ran on several hosts. */
    String name() {
        String title = Fmt.title(check);
        return multiHost ? title + " [" + host + "]" : title;
    }

    /** The host to show people: "target" for target-scoped rows. */
    String hostLabel() { return targetScoped() ? "target" : host; }
}
