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
 * Scores a run and gives the verdict.
 *
 * <ul>
 * <li>A check's weight is its {@code weight} (default 1) times its phase's weight (P0 3, P1 2, P2 1):
 *     urgent checks move the score more.</li>
 * <li>Without category budgets: score = 100 × weighted share of passing checks.</li>
 * <li>With budgets: each category present in the run gets its budget (budgets rescaled to add up to
 *     100 over the categories that have checks in this run), times its weighted pass ratio.</li>
 * <li>PASS and FLAKY pass; FAIL, ERROR and BLOCKED do not; SKIPPED is left out. Nothing evaluated: no score.</li>
 * <li>Verdict: BLOCKED if a P0 check that ran did not pass; NO DATA if nothing was evaluated; NOT READY
 *     under {@code failUnder}; INCOMPLETE if a P0 check was not run (a verdict never claims more than
 *     the run showed); else READY.</li>
 * <li>A phase is complete when it has checks, every one of them ran, and all passed.</li>
 * </ul>
 */
public final class Scorer {
    private Scorer() {}

    public static Score score(List<CheckResult> checks, Map<String, Double> budgets) {
        Map<Phase, Tally> phaseTally = new EnumMap<>(Phase.class);
        Map<Phase, double[]> phaseWeights = new EnumMap<>(Phase.class); // [passed, total]
        Map<String, Tally> catTally = new LinkedHashMap<>();
        Map<String, double[]> catWeights = new LinkedHashMap<>();
        budgets.keySet().forEach(k -> {
            catTally.put(k, Tally.EMPTY);
            catWeights.put(k, new double[2]);
        });
        Tally total = Tally.EMPTY;
        double passedWeight = 0;
        double totalWeight = 0;
        for (CheckResult c : checks) {
            Outcome o = c.outcome();
            total = total.plus(o);
            phaseTally.merge(c.phase(), Tally.EMPTY.plus(o), Tally::plus);
            if (o == Outcome.SKIPPED) continue;
            double w = c.weight() * c.phase().weight;
            double p = o.passed() ? w : 0;
            passedWeight += p;
            totalWeight += w;
            double[] pw = phaseWeights.computeIfAbsent(c.phase(), k -> new double[2]);
            pw[0] += c.weight() * (o.passed() ? 1 : 0);
            pw[1] += c.weight();
            if (c.category() != null) {
                catTally.merge(c.category(), Tally.EMPTY.plus(o), Tally::plus);
                double[] cw = catWeights.computeIfAbsent(c.category(), k -> new double[2]);
                cw[0] += p;
                cw[1] += w;
            }
        }
        List<PhaseScore> phases = new ArrayList<>();
        for (Phase ph : Phase.values()) {
            Tally t = phaseTally.getOrDefault(ph, Tally.EMPTY);
            double[] pw = phaseWeights.get(ph);
            Double s = pw == null || pw[1] == 0 ? null : round(100 * pw[0] / pw[1]);
            phases.add(new PhaseScore(ph, t, s, t.evaluated() > 0 && t.notPassed() == 0 && t.skipped() == 0));
        }
        List<CategoryScore> categories = new ArrayList<>();
        Double value;
        if (budgets.isEmpty()) {
            value = totalWeight == 0 ? null : round(100 * passedWeight / totalWeight);
        } else {
            double present = 0;
            for (Map.Entry<String, Double> b : budgets.entrySet()) {
                if (catWeights.get(b.getKey())[1] > 0) present += b.getValue();
            }
            double sum = 0;
            for (Map.Entry<String, Double> b : budgets.entrySet()) {
                double[] cw = catWeights.get(b.getKey());
                Tally t = catTally.get(b.getKey());
                if (cw[1] == 0) {
                    categories.add(new CategoryScore(b.getKey(), 0, t, null, null));
                    continue;
                }
                double budget = 100 * b.getValue() / present;
                double ratio = cw[0] / cw[1];
                sum += budget * ratio;
                categories.add(new CategoryScore(b.getKey(), round(budget), t, round(ratio), round(budget * ratio)));
            }
            value = present == 0 ? null : round(sum);
        }
        return new Score(value, phases, categories, total);
    }

    public static Verdict verdict(Score score, List<CheckResult> checks, double failUnder) {
        boolean p0Failed = checks.stream().anyMatch(c -> c.phase() == Phase.P0 && c.outcome() != Outcome.SKIPPED && !c.outcome().passed());
        if (p0Failed) return Verdict.BLOCKED;
        if (!score.hasData()) return Verdict.NO_DATA;
        if (score.value() + 1e-9 < failUnder) return Verdict.NOT_READY;
        boolean p0NotRun = checks.stream().anyMatch(c -> c.phase() == Phase.P0 && c.outcome() == Outcome.SKIPPED);
        return p0NotRun ? Verdict.INCOMPLETE : Verdict.READY;
    }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }
}
