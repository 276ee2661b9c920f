package io.triaready.core.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.Test;

class ScorerTest {
    private static CheckResult c(String id, Phase phase, Outcome o, String category, double weight) {
        return new CheckResult(id, id, phase, category, weight, List.of(), null, "command", "", o, "", null, List.of(), 0);
    }

    private static CheckResult c(String id, Phase phase, Outcome o) { return c(id, phase, o, null, 1); }

    @Test
    void phasesWeighMoreTheMoreUrgentTheyAre() {
        // p0 pass (3), p1 fail (2), p2 pass (1): 4 of 6
        Score s = Scorer.score(List.of(c("a", Phase.P0, Outcome.PASS), c("b", Phase.P1, Outcome.FAIL), c("c", Phase.P2, Outcome.PASS)), Map.of());
        assertThat(s.value()).isEqualTo(66.7);
        assertThat(s.phases().get(0).complete()).isTrue();
        assertThat(s.phases().get(1).complete()).isFalse();
    }

    @Test
    void checkWeightsMultiply() {
        Score s = Scorer.score(List.of(c("a", Phase.P1, Outcome.PASS, null, 3), c("b", Phase.P1, Outcome.FAIL, null, 1)), Map.of());
        assertThat(s.value()).isEqualTo(75.0);
    }

    @Test
    void errorsAndBlockedNeverCountAsPassesAndSkippedIsLeftOut() {
        Score s = Scorer.score(List.of(c("a", Phase.P1, Outcome.PASS), c("b", Phase.P1, Outcome.ERROR), c("c", Phase.P1, Outcome.BLOCKED),
                c("d", Phase.P1, Outcome.SKIPPED), c("e", Phase.P1, Outcome.FLAKY)), Map.of());
        assertThat(s.value()).isEqualTo(50.0);
        assertThat(s.total()).isEqualTo(new Tally(1, 1, 0, 1, 1, 1));
    }

    @Test
    void nothingEvaluatedIsNoDataNeverOneHundred() {
        Score s = Scorer.score(List.of(c("a", Phase.P1, Outcome.SKIPPED)), Map.of());
        assertThat(s.value()).isNull();
        assertThat(Scorer.verdict(s, List.of(c("a", Phase.P1, Outcome.SKIPPED)), 0)).isEqualTo(Verdict.NO_DATA);
        assertThat(Scorer.score(List.of(), Map.of()).value()).isNull();
    }

    @Test
    void categoryBudgetsAreSharedByTheCategoriesPresent() {
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("functional", 40.0);
        budgets.put("performance", 30.0);
        budgets.put("quality", 20.0);
        budgets.put("integration", 10.0);
        List<CheckResult> all = List.of(
                c("f1", Phase.P0, Outcome.PASS, "functional", 1), c("f2", Phase.P0, Outcome.FAIL, "functional", 1),
                c("p1", Phase.P1, Outcome.PASS, "performance", 1),
                c("q1", Phase.P2, Outcome.FAIL, "quality", 1),
                c("i1", Phase.P1, Outcome.PASS, "integration", 1));
        Score s = Scorer.score(all, budgets);
        // functional 40 × 1/2 + performance 30 × 1 + quality 20 × 0 + integration 10 × 1
        assertThat(s.value()).isEqualTo(60.0);
        assertThat(s.categories()).extracting(CategoryScore::points).containsExactly(20.0, 30.0, 0.0, 10.0);

        // with only functional and quality present, their budgets are rescaled to 100: 40→66.7, 20→33.3
        Score partial = Scorer.score(List.of(all.get(0), all.get(1), all.get(3)), budgets);
        assertThat(partial.value()).isEqualTo(33.3);
        assertThat(partial.categories().get(1).points()).isNull();
    }

    @Test
    void verdicts() {
        List<CheckResult> p0Fails = List.of(c("a", Phase.P0, Outcome.ERROR), c("b", Phase.P1, Outcome.PASS));
        assertThat(Scorer.verdict(Scorer.score(p0Fails, Map.of()), p0Fails, 0)).isEqualTo(Verdict.BLOCKED);
        List<CheckResult> p1Fails = List.of(c("a", Phase.P0, Outcome.PASS), c("b", Phase.P1, Outcome.FAIL));
        Score s = Scorer.score(p1Fails, Map.of());
        assertThat(s.value()).isEqualTo(60.0);
        assertThat(Scorer.verdict(s, p1Fails, 100)).isEqualTo(Verdict.NOT_READY);
        assertThat(Scorer.verdict(s, p1Fails, 60)).isEqualTo(Verdict.READY);
        assertThat(Scorer.verdict(s, p1Fails, 60.1)).isEqualTo(Verdict.NOT_READY);
    }

    @Test
    void aP0CheckNotRunIsNeverReadyAndItsPhaseIsNotComplete() {
        List<CheckResult> checks = List.of(c("a", Phase.P0, Outcome.PASS), c("drill", Phase.P0, Outcome.SKIPPED), c("b", Phase.P2, Outcome.PASS));
        Score s = Scorer.score(checks, Map.of());
        assertThat(s.value()).isEqualTo(100.0);
        assertThat(s.phases().get(0).complete()).isFalse();
        assertThat(Scorer.verdict(s, checks, 100)).isEqualTo(Verdict.INCOMPLETE);
        // a failure among what ran still says so first
        List<CheckResult> failing = List.of(c("a", Phase.P0, Outcome.FAIL), c("drill", Phase.P0, Outcome.SKIPPED));
        assertThat(Scorer.verdict(Scorer.score(failing, Map.of()), failing, 100)).isEqualTo(Verdict.BLOCKED);
        List<CheckResult> low = List.of(c("a", Phase.P0, Outcome.PASS), c("x", Phase.P1, Outcome.FAIL), c("drill", Phase.P0, Outcome.SKIPPED));
        assertThat(Scorer.verdict(Scorer.score(low, Map.of()), low, 100)).isEqualTo(Verdict.NOT_READY);
        // only P2 ran: no P0 check ran at all
        List<CheckResult> p2 = List.of(c("a", Phase.P0, Outcome.SKIPPED), c("b", Phase.P2, Outcome.PASS));
        assertThat(Scorer.verdict(Scorer.score(p2, Map.of()), p2, 100)).isEqualTo(Verdict.INCOMPLETE);
        // P1/P2 not run does not stop READY: every P0 check ran and passed
        List<CheckResult> p0 = List.of(c("a", Phase.P0, Outcome.PASS), c("b", Phase.P2, Outcome.SKIPPED));
        assertThat(Scorer.verdict(Scorer.score(p0, Map.of()), p0, 100)).isEqualTo(Verdict.READY);
        assertThat(Coverage.of(p0).scopeLine()).isEqualTo("ran p0 only: P2 not checked");
    }
}
