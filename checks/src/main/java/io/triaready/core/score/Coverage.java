package io.triaready.core.score;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * What a run did not check: the checks of the playbook that were not run (SKIPPED: destructive,
 * filtered by phase/tag/--only, --skip, or depending on such a check), with their reasons. Every
 * report names them and qualifies its summary with {@link #scopeLine()} ("P0: 1 of 10 not run"),
 * so no summary claims more than what ran (docs/scoring.md).
 */
public record Coverage(List<CheckResult> notRun, Map<Phase, int[]> byPhase) {
    public Coverage {
        notRun = List.copyOf(notRun);
    }

    /** byPhase: [checks in the playbook, checks not run] for each phase that has checks. */
    public static Coverage of(List<CheckResult> checks) {
        Map<Phase, int[]> byPhase = new EnumMap<>(Phase.class);
        List<CheckResult> notRun = new ArrayList<>();
        for (CheckResult c : checks) {
            int[] n = byPhase.computeIfAbsent(c.phase(), k -> new int[2]);
            n[0]++;
            if (c.outcome() == Outcome.SKIPPED) {
                n[1]++;
                notRun.add(c);
            }
        }
        return new Coverage(notRun, byPhase);
    }

    /** Every check of the playbook ran. */
    public boolean complete() { return notRun.isEmpty(); }

    /** Checks of this phase that were not run. */
    public List<CheckResult> notRun(Phase p) { return notRun.stream().filter(c -> c.phase() == p).toList(); }

    /** No check of the phase ran (and it has checks). */
    public boolean phaseNotChecked(Phase p) {
        int[] n = byPhase.get(p);
        return n != null && n[0] > 0 && n[1] == n[0];
    }

    /**
     * One line saying what was not checked, e.g. "ran p2 only: P0, P1 not checked" or
     * "P0: 1 of 10 not run; P1: 9 of 30 not run"; empty when everything ran.
     */
    public String scopeLine() {
        if (complete()) return "";
        List<String> none = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (Map.Entry<Phase, int[]> e : byPhase.entrySet()) {
            int total = e.getValue()[0];
            int missing = e.getValue()[1];
            if (missing == total) none.add(e.getKey().name());
            else {
                ran.add(e.getKey().id());
                if (missing > 0) partial.add(e.getKey().name() + ": " + missing + " of " + total + " not run");
            }
        }
        List<String> parts = new ArrayList<>();
        if (!none.isEmpty()) {
            parts.add((ran.isEmpty() ? "nothing ran" : "ran " + String.join(", ", ran) + " only") + ": " + String.join(", ", none) + " not checked");
        }
        parts.addAll(partial);
        return String.join("; ", parts);
    }

    /** The checks not run grouped by reason, in playbook order: reason → checks. */
    public Map<String, List<CheckResult>> byReason() {
        Map<String, List<CheckResult>> out = new LinkedHashMap<>();
        for (CheckResult c : notRun) out.computeIfAbsent(c.message() == null ? "not run" : c.message(), k -> new ArrayList<>()).add(c);
        return out;
    }
}
