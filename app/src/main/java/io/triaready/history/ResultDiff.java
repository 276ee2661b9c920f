package io.triaready.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.expect.Values;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * What changed from one result to another. A regression is a check that passed (pass, flaky) in
 * {@code from} and does not in {@code to} (fail, error, blocked); an improvement the reverse. Other
 * changes of status (fail → error, pass → flaky) are {@code changed}. A check left out of either
 * run (not run) is not compared; checks only in one of them are added or removed. A changed bar (a
 * check's weight or expectation, the run's --fail-under) is reported, and the score delta is given
 * only for runs of the same scope.
 */
public record ResultDiff(RunResult from, RunResult to, List<Change> regressed, List<Change> improved, List<Change> changed,
                         List<Change> stillFailing, List<CheckResult> added, List<CheckResult> removed, int unchangedPassing, int notCompared,
                         List<BarChange> barChanged) {
    public record Change(CheckResult before, CheckResult after) {
        public String id() { return after.id(); }
    }

    /** The bar a check is held to changed between the runs: {@code what} is "weight" or "expect". */
    public record BarChange(String id, String what, String before, String after) {}

    public static ResultDiff of(RunResult from, RunResult to) {
        Map<String, CheckResult> before = new LinkedHashMap<>();
        from.checks().forEach(c -> before.put(c.id(), c));
        List<Change> regressed = new ArrayList<>();
        List<Change> improved = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        List<Change> stillFailing = new ArrayList<>();
        List<CheckResult> added = new ArrayList<>();
        int unchangedPassing = 0;
        int notCompared = 0;
        List<BarChange> bar = new ArrayList<>();
        for (CheckResult b : to.checks()) {
            CheckResult a = before.remove(b.id());
            if (a == null) {
                if (b.outcome() != Outcome.SKIPPED) added.add(b);
                continue;
            }
            if (a.weight() != b.weight()) bar.add(new BarChange(b.id(), "weight", number(a.weight()), number(b.weight())));
            if (a.expect() != null && b.expect() != null && !a.expect().equals(b.expect())) bar.add(new BarChange(b.id(), "expect", a.expect(), b.expect()));
            if (a.outcome() == Outcome.SKIPPED || b.outcome() == Outcome.SKIPPED) {
                notCompared++;
            } else if (a.outcome().passed() && !b.outcome().passed()) {
                regressed.add(new Change(a, b));
            } else if (!a.outcome().passed() && b.outcome().passed()) {
                improved.add(new Change(a, b));
            } else if (a.outcome() != b.outcome()) {
                changed.add(new Change(a, b));
            } else if (b.outcome().passed()) {
                unchangedPassing++;
            } else {
                stillFailing.add(new Change(a, b));
            }
        }
        List<CheckResult> removed = before.values().stream().filter(c -> c.outcome() != Outcome.SKIPPED).toList();
        return new ResultDiff(from, to, regressed, improved, changed, stillFailing, added, removed, unchangedPassing, notCompared, bar);
    }

    private static String number(double d) { return Values.formatNumber(d); }

    /** Both runs ran the same selection of checks ("phase p0", all checks, ...): only then are their scores comparable. */
    public boolean sameScope() { return java.util.Objects.equals(from.scope(), to.scope()); }

    /** The --fail-under the verdicts were computed with differs. */
    public boolean thresholdChanged() { return from.failUnder() != to.failUnder(); }

    /** Nothing about a check differs (outcomes, checks present, their bar). */
    public boolean noCheckChanged() {
        return regressed.isEmpty() && improved.isEmpty() && changed.isEmpty() && added.isEmpty() && removed.isEmpty() && barChanged.isEmpty();
    }

    /** to − from, or null when either has no score or the runs are of different scopes (their scores measure different things). */
    public Double scoreDelta() {
        if (!sameScope()) return null;
        Double a = from.score().value();
        Double b = to.score().value();
        return a == null || b == null ? null : b - a;
    }

    public boolean hasRegressions() { return !regressed.isEmpty(); }
}
