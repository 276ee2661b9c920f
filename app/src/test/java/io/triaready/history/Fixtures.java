package io.triaready.history;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.Score;
import io.triaready.core.score.Scorer;
import io.triaready.core.score.Verdict;
import io.triaready.report.ResultJson;

/** Results as the engine makes them, scored by the real scorer, without running anything. */
final class Fixtures {
    private Fixtures() {}

    /** {@code checks}: id, outcome, id, outcome...; ids starting with "p0-" are P0, the rest P1. */
    static RunResult result(String playbook, String target, Instant started, Object... checks) {
        return result(playbook, target, started, false, checks);
    }

    static RunResult interrupted(String playbook, String target, Instant started, Object... checks) {
        return result(playbook, target, started, true, checks);
    }

    private static RunResult result(String playbook, String target, Instant started, boolean interrupted, Object[] checks) {
        List<CheckResult> list = new ArrayList<>();
        for (int i = 0; i < checks.length; i += 2) {
            String id = (String) checks[i];
            Outcome o = (Outcome) checks[i + 1];
            String message = o.passed() ? "ok" : o == Outcome.BLOCKED ? "blocked by x" : o.id() + " of " + id;
            List<HostResult> hosts = o == Outcome.SKIPPED || o == Outcome.BLOCKED ? List.of()
                    : List.of(new HostResult(HostResult.TARGET_HOST, o, message, o == Outcome.FAIL ? List.of(message) : List.of(), Map.of(), List.of(), 3, 1));
            list.add(new CheckResult(id, "Title of " + id, id.startsWith("p0-") ? Phase.P0 : Phase.P1, null, 1, List.of(), null, "command",
                    "run something", o, message, null, hosts, 3));
        }
        Score score = Scorer.score(list, Map.of());
        Verdict verdict = Scorer.verdict(score, list, 100);
        return new RunResult(RunResult.SCHEMA, "test", playbook, "Playbook " + playbook, "bundled:" + playbook, target, List.of(), started,
                started.plusMillis(500), List.of(), list, score, 100, verdict, interrupted);
    }

    static String json(RunResult r) {
        StringWriter w = new StringWriter();
        try {
            ResultJson.write(r, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static HistoryEntry save(HistoryStore store, RunResult r) throws StoreException {
        return store.save(r, json(r));
    }
}
