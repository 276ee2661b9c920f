package io.triaready.history;

import static io.triaready.core.result.Outcome.BLOCKED;
import static io.triaready.core.result.Outcome.ERROR;
import static io.triaready.core.result.Outcome.FAIL;
import static io.triaready.core.result.Outcome.FLAKY;
import static io.triaready.core.result.Outcome.PASS;
import static io.triaready.core.result.Outcome.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.triaready.core.engine.RunResult;
import org.junit.jupiter.api.Test;

class SeriesTest {
    private static final Instant T0 = Instant.parse("2026-11-18T09:00:00Z");
    private final List<Series.Run> runs = new ArrayList<>();

    private void run(int hour, Object... checks) {
        add(Fixtures.result("aibpo", "prod", T0.plusSeconds(3600L * hour), checks));
    }

    private void add(RunResult r) {
        runs.add(new Series.Run(HistoryEntry.of(String.format("20261118-%02d0000-000%d", runs.size(), runs.size() % 10), r), r));
    }

    private Series.CheckHistory check(String id) {
        return new Series("aibpo", "prod", runs).checks().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    @Test
    void aCheckFailingSinceARunSaysSinceWhenAndForHowManyRuns() {
        run(0, "p0-chroma", PASS, "metrics", FAIL);
        run(1, "p0-chroma", PASS, "metrics", FAIL);
        run(2, "p0-chroma", FAIL, "metrics", FAIL);
        run(3, "p0-chroma", ERROR, "metrics", PASS);
        run(4, "p0-chroma", FAIL, "metrics", FLAKY);
        Series.CheckHistory chroma = check("p0-chroma");
        assertThat(chroma.failing()).isTrue();
        assertThat(chroma.current()).isEqualTo(FAIL);
        assertThat(chroma.since()).isEqualTo(T0.plusSeconds(7200));
        assertThat(chroma.sinceRun()).isEqualTo(runs.get(2).entry().id());
        assertThat(chroma.streak()).as("fail, error, fail: all not passing").isEqualTo(3);
        assertThat(chroma.transitions()).containsExactly(new Series.Transition(runs.get(2).entry().id(), T0.plusSeconds(7200), PASS, FAIL));

        Series.CheckHistory metrics = check("metrics");
        assertThat(metrics.failing()).isFalse();
        assertThat(metrics.since()).as("fixed at the first passing run").isEqualTo(T0.plusSeconds(3 * 3600));
        assertThat(metrics.streak()).isEqualTo(2);
        assertThat(metrics.transitions()).extracting(Series.Transition::to).containsExactly(PASS);
        assertThat(new Series("aibpo", "prod", runs).checks()).extracting(Series.CheckHistory::id)
                .as("failing first").containsExactly("p0-chroma", "metrics");
    }

    @Test
    void checksThatAlwaysPassedAreNotListedAndFlappingOnesCountEveryChange() {
        run(0, "steady", PASS, "flappy", PASS);
        run(1, "steady", PASS, "flappy", FAIL);
        run(2, "steady", PASS, "flappy", PASS);
        run(3, "steady", PASS, "flappy", BLOCKED);
        assertThat(check("steady")).isNull();
        Series.CheckHistory flappy = check("flappy");
        assertThat(flappy.transitions()).hasSize(3);
        assertThat(flappy.current()).isEqualTo(BLOCKED);
        assertThat(flappy.streak()).isEqualTo(1);
    }

    @Test
    void skippedChecksAndInterruptedRunsSayNothing() {
        run(0, "a", FAIL, "b", PASS);
        run(1, "a", SKIPPED, "b", PASS);
        add(Fixtures.interrupted("aibpo", "prod", T0.plusSeconds(7200), "a", ERROR, "b", ERROR));
        run(3, "a", FAIL, "b", PASS);
        assertThat(check("b")).as("the interrupted run's errors are no failures").isNull();
        Series.CheckHistory a = check("a");
        assertThat(a.streak()).as("two runs evaluated it").isEqualTo(2);
        assertThat(a.transitions()).isEmpty();
        assertThat(a.since()).isEqualTo(T0);
    }

    @Test
    void aCheckGoneFromTheLatestRunIsMarkedSo() {
        run(0, "old", FAIL, "b", PASS);
        run(1, "b", PASS);
        Series.CheckHistory old = check("old");
        assertThat(old.inLatest()).isFalse();
        assertThat(old.failing()).isTrue();
    }

    @Test
    void sparklinesUseTheAbsoluteScale() {
        List<Double> scores = new ArrayList<>(List.of(0.0, 55.0, 100.0));
        scores.add(null);
        assertThat(Sparkline.of(scores, true)).isEqualTo("▁▅█ ");
        assertThat(Sparkline.of(scores, false)).isEqualTo("_=# ");
        assertThat(Sparkline.of(List.of(100.0, 100.0), true)).isEqualTo("██");
    }
}
