package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.CategoryScore;
import io.triaready.core.score.PhaseScore;
import io.triaready.core.score.Tally;
import io.triaready.core.score.Verdict;

/**
 * Prometheus text exposition format (0.0.4) for node-exporter's textfile collector: write it to
 * {@code <collector dir>/tria-ready.prom} (atomically: write a temp file, then rename). No sample
 * timestamps (the collector rejects them). When nothing was evaluated the score series are left out
 * rather than written as NaN: a stale 100 is impossible, and {@code tria_ready_verdict{verdict="NO_DATA"}}
 * says why; alert on {@code absent(tria_ready_score)} or on that verdict.
 */
public final class PrometheusRenderer extends FormatRenderer {
    public PrometheusRenderer() { super("prometheus", "prom"); }

    @Override
    public void render(RunResult r, RenderOptions options, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(8192);
        String run = labels("playbook", r.playbookId(), "target", r.target());

        family(b, "tria_ready_score", "Readiness score 0-100 of the last audit; absent when nothing was evaluated.");
        if (r.score().value() != null) sample(b, "tria_ready_score", run, r.score().value());

        family(b, "tria_ready_fail_under", "Score threshold (--fail-under) the verdict was computed with.");
        sample(b, "tria_ready_fail_under", run, r.failUnder());

        family(b, "tria_ready_verdict", "Verdict of the last audit: 1 for the verdict it reached, 0 for the others.");
        for (Verdict v : Verdict.values()) {
            sample(b, "tria_ready_verdict", labels("playbook", r.playbookId(), "target", r.target(), "verdict", v.name()),
                    v == r.verdict() ? 1 : 0);
        }

        family(b, "tria_ready_checks", "Checks of the last audit by status (pass, flaky, fail, error, blocked, skipped).");
        tallySamples(b, "tria_ready_checks", r, null, r.score().total());

        Map<Phase, Tally> phaseTallies = phaseTallies(r);
        family(b, "tria_ready_phase_checks", "Checks of a phase by status.");
        for (Map.Entry<Phase, Tally> e : phaseTallies.entrySet()) tallySamples(b, "tria_ready_phase_checks", r, e.getKey(), e.getValue());

        family(b, "tria_ready_phase_score", "Weighted pass ratio of a phase, 0-100; absent for a phase without data.");
        for (PhaseScore ps : r.score().phases()) {
            if (ps.score() != null) sample(b, "tria_ready_phase_score", phaseLabels(r, ps.phase()), ps.score());
        }

        family(b, "tria_ready_phase_complete", "1 when every check of the phase passed.");
        for (PhaseScore ps : r.score().phases()) sample(b, "tria_ready_phase_complete", phaseLabels(r, ps.phase()), ps.complete() ? 1 : 0);

        if (!r.score().categories().isEmpty()) {
            family(b, "tria_ready_category_budget", "Points a category can contribute to the score.");
            for (CategoryScore cs : r.score().categories()) sample(b, "tria_ready_category_budget", categoryLabels(r, cs), cs.budget());
            family(b, "tria_ready_category_points", "Points a category contributed to the score; absent without data.");
            for (CategoryScore cs : r.score().categories()) {
                if (cs.points() != null) sample(b, "tria_ready_category_points", categoryLabels(r, cs), cs.points());
            }
        }

        List<Row> rows = Row.of(r);
        family(b, "tria_ready_check_status", "1 for each check and host, with its status in the status label.");
        for (Row row : rows) {
            sample(b, "tria_ready_check_status", labels("playbook", r.playbookId(), "target", r.target(), "check", row.check().id(),
                    "phase", row.check().phase().id(), "host", row.host(), "status", row.outcome().id()), 1);
        }

        family(b, "tria_ready_check_duration_seconds", "How long a check took on a host (checks that ran only).");
        for (Row row : rows) {
            if (row.outcome() == Outcome.BLOCKED || row.outcome() == Outcome.SKIPPED) continue;
            sample(b, "tria_ready_check_duration_seconds", labels("playbook", r.playbookId(), "target", r.target(),
                    "check", row.check().id(), "phase", row.check().phase().id(), "host", row.host()), row.durationMs() / 1000.0);
        }

        family(b, "tria_ready_checks_not_run", "Checks of the last audit that were not run (destructive, filtered, skipped), by phase; "
                + "their reasons are in tria_ready_check_not_run.");
        var cov = r.coverage();
        for (Phase p : Phase.values()) {
            if (r.checks().stream().anyMatch(c -> c.phase() == p)) sample(b, "tria_ready_checks_not_run", phaseLabels(r, p), cov.notRun(p).size());
        }
        family(b, "tria_ready_check_not_run", "1 for each check that was not run, with the reason in the reason label.");
        for (CheckResult c : cov.notRun()) {
            sample(b, "tria_ready_check_not_run", labels("playbook", r.playbookId(), "target", r.target(), "check", c.id(),
                    "phase", c.phase().id(), "reason", c.message() == null ? "not run" : c.message()), 1);
        }

        family(b, "tria_ready_fixes_since_last_audit", "Fixes applied to this playbook and target since the previous audit, by fix and status.");
        Map<String, Integer> fixCounts = new LinkedHashMap<>(); // one series per fix and status: a fix run twice counts 2
        for (RunResult.AppliedFix f : r.fixes()) {
            fixCounts.merge(labels("playbook", r.playbookId(), "target", r.target(), "fix", f.fix(), "status", f.status()), 1, Integer::sum);
        }
        fixCounts.forEach((l, n) -> sample(b, "tria_ready_fixes_since_last_audit", l, n));

        family(b, "tria_ready_run_duration_seconds", "Wall-clock duration of the last audit.");
        sample(b, "tria_ready_run_duration_seconds", run, r.durationMs() / 1000.0);

        family(b, "tria_ready_run_interrupted", "1 when the last audit was interrupted and its results are partial.");
        sample(b, "tria_ready_run_interrupted", run, r.interrupted() ? 1 : 0);

        family(b, "tria_ready_last_run_timestamp_seconds", "Unix time the last audit finished.");
        sample(b, "tria_ready_last_run_timestamp_seconds", run, r.finished().toEpochMilli() / 1000.0);

        out.write(b.toString());
    }

    /** The phases' tallies from the score, plus any phase that has checks but no score entry. */
    private static Map<Phase, Tally> phaseTallies(RunResult r) {
        Map<Phase, Tally> m = new LinkedHashMap<>();
        for (PhaseScore ps : r.score().phases()) m.put(ps.phase(), ps.tally());
        Map<Phase, Tally> extra = new EnumMap<>(Phase.class);
        for (CheckResult c : r.checks()) {
            if (!m.containsKey(c.phase())) extra.merge(c.phase(), Tally.EMPTY.plus(c.outcome()), Tally::plus);
        }
        m.putAll(extra);
        return m;
    }

    private static void tallySamples(StringBuilder b, String name, RunResult r, Phase phase, Tally t) {
        for (Outcome o : Outcome.values()) {
            List<String> kv = new ArrayList<>(List.of("playbook", r.playbookId(), "target", r.target()));
            if (phase != null) kv.addAll(List.of("phase", phase.id()));
            kv.addAll(List.of("status", o.id()));
            sample(b, name, labels(kv.toArray(String[]::new)), t.count(o));
        }
    }

    private static String phaseLabels(RunResult r, Phase p) {
        return labels("playbook", r.playbookId(), "target", r.target(), "phase", p.id());
    }

    private static String categoryLabels(RunResult r, CategoryScore cs) {
        return labels("playbook", r.playbookId(), "target", r.target(), "category", cs.name());
    }

    private static void family(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder b, String name, String labels, double value) {
        b.append(name).append(labels).append(' ').append(value(value)).append('\n');
    }

    /** Up to millisecond precision, no exponent, no trailing zeros: 59.333, 1, 1795253408.412. */
    static String value(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        BigDecimal d = BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    static String labels(String... kv) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) s.append(',');
            s.append(kv[i]).append("=\"").append(escapeLabel(kv[i + 1])).append('"');
        }
        return s.append('}').toString();
    }

    /** Label values escape backslash, double quote and newline; nothing else needs it. */
    static String escapeLabel(String v) { return LABEL_VALUE.apply(Fmt.clean(v)); }

    private static final Escaper LABEL_VALUE = ch -> switch (ch) {
        case '\\' -> "\\\\";
        case '"' -> "\\\"";
        case '\n' -> "\\n";
        default -> null;
    };
}
