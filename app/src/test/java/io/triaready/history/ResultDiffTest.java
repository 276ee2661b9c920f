package io.triaready.history;

import static io.triaready.core.result.Outcome.BLOCKED;
import static io.triaready.core.result.Outcome.ERROR;
import static io.triaready.core.result.Outcome.FAIL;
import static io.triaready.core.result.Outcome.FLAKY;
import static io.triaready.core.result.Outcome.PASS;
import static io.triaready.core.result.Outcome.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import io.triaready.core.engine.RunResult;
import org.junit.jupiter.api.Test;

class ResultDiffTest {
    private static final Instant T0 = Instant.parse("2026-11-20T14:02:00Z");

    @Test
    void sortsEveryCheckIntoWhatChanged() {
        RunResult before = Fixtures.result("pb", "prod", T0,
                "to-fail", PASS, "to-error", FLAKY, "to-blocked", PASS, "fixed", FAIL, "fixed-flaky", ERROR,
                "fail-to-error", FAIL, "pass-to-flaky", PASS, "still", FAIL, "same", PASS, "filtered", SKIPPED, "gone", FAIL, "gone-skipped", SKIPPED);
        RunResult after = Fixtures.result("pb", "prod", T0.plusSeconds(60),
                "to-fail", FAIL, "to-error", ERROR, "to-blocked", BLOCKED, "fixed", PASS, "fixed-flaky", FLAKY,
                "fail-to-error", ERROR, "pass-to-flaky", FLAKY, "still", FAIL, "same", PASS, "filtered", PASS, "new", FAIL, "new-skipped", SKIPPED);
        ResultDiff d = ResultDiff.of(before, after);
        assertThat(d.regressed()).extracting(ResultDiff.Change::id).containsExactly("to-fail", "to-error", "to-blocked");
        assertThat(d.improved()).extracting(ResultDiff.Change::id).containsExactly("fixed", "fixed-flaky");
        assertThat(d.changed()).extracting(ResultDiff.Change::id).containsExactly("fail-to-error", "pass-to-flaky");
        assertThat(d.stillFailing()).extracting(ResultDiff.Change::id).containsExactly("still");
        assertThat(d.added()).extracting(c -> c.id()).containsExactly("new");
        assertThat(d.removed()).extracting(c -> c.id()).containsExactly("gone");
        assertThat(d.unchangedPassing()).isEqualTo(1);
        assertThat(d.notCompared()).isEqualTo(1);
        assertThat(d.hasRegressions()).isTrue();
        assertThat(d.scoreDelta()).isEqualTo(after.score().value() - before.score().value());
    }

    @Test
    void noChangeIsNoRegression() {
        RunResult a = Fixtures.result("pb", "prod", T0, "a", PASS, "b", FAIL);
        ResultDiff d = ResultDiff.of(a, Fixtures.result("pb", "prod", T0.plusSeconds(1), "a", PASS, "b", FAIL));
        assertThat(d.hasRegressions()).isFalse();
        assertThat(d.improved()).isEmpty();
        assertThat(d.scoreDelta()).isZero();
    }
}
