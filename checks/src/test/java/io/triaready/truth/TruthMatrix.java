package io.triaready.truth;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.spi.Target;

/**
 * Runs a list of {@link TruthCase}s through the {@link Engine} in one run, as an audit does, and
 * returns the false outcomes: every case whose outcome (or, for an expected ERROR, its reason) is not
 * the one it promises.
 */
final class TruthMatrix {
    private TruthMatrix() {}

    /** A case whose outcome was not the truth, and what the run said instead. */
    record FalseOutcome(String mode, String caseId, String cell, String type, String why) {
        @Override
        public String toString() { return mode + " " + caseId + " (" + type + "): " + why; }
    }

    /** {@code copies} of {@code cases} (ids suffixed {@code -n} when more than one), plus {@code extra}, once each. */
    static List<TruthCase> expand(List<TruthCase> cases, int copies, List<TruthCase> extra) {
        List<TruthCase> out = new ArrayList<>();
        for (int n = 0; n < copies; n++) {
            for (TruthCase c : cases) out.add(c.copy(copies == 1 ? "" : "-" + n));
        }
        for (TruthCase c : extra) out.add(c.copy(""));
        return out;
    }

    static String yaml(List<TruthCase> cases) {
        StringBuilder b = new StringBuilder("playbook: truth-matrix\nchecks:\n");
        for (TruthCase c : cases) {
            b.append("  - id: ").append(c.id()).append("\n    phase: p1\n");
            for (String line : c.body().split("\n")) b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }

    static List<FalseOutcome> run(String mode, Target target, List<TruthCase> cases, int concurrency) {
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader(yaml(cases)), "truth.yaml",
                new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
        RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, target,
                new RunOptions(Selection.ALL, concurrency, RunOptions.DEFAULT_TIMEOUT, null, 100), new Secrets(), RunListener.NONE, "truth");
        if (Boolean.getBoolean("truth.verbose")) {
            System.out.println(mode + ": " + r.durationMs() + " ms; slowest: " + r.checks().stream()
                    .sorted((x, y) -> Long.compare(y.durationMs(), x.durationMs())).limit(5)
                    .map(c -> c.id() + " " + c.durationMs() + "ms+" + c.hosts().stream().mapToLong(h -> h.queuedMs()).sum() + "q").toList());
        }
        Map<String, CheckResult> byId = new LinkedHashMap<>();
        r.checks().forEach(c -> byId.put(c.id(), c));
        List<FalseOutcome> out = new ArrayList<>();
        for (TruthCase c : cases) {
            CheckResult got = byId.get(c.id());
            String why = got == null ? "no result" : c.falseness(got.outcome(), got.message());
            if (why != null) out.add(new FalseOutcome(mode, c.id(), c.cell(), c.type(), why));
        }
        return out;
    }

    static Duration since(long nanos) { return Duration.ofNanos(System.nanoTime() - nanos); }
}
