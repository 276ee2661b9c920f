package io.triaready.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.engine.CheckResult;
import io.triaready.engine.HostResult;
import io.triaready.engine.Outcome;
import io.triaready.engine.RunResult;
import io.triaready.expect.Values;
import io.triaready.playbook.Durations;
import io.triaready.playbook.Phase;
import io.triaready.score.CategoryScore;
import io.triaready.score.PhaseScore;
import io.triaready.score.Tally;
import io.triaready.score.Verdict;

/**
 * The report for people at a terminal: per phase, what is wrong first (expected vs. actual, and the
 * fix to run), blocked checks under the check that blocks them, passing checks one line each, then
 * the score, the verdict and the counts.
 */
public final class TextRenderer implements Renderer {
    @Override
    public String format() { return "text"; }

    @Override
    public List<String> extensions() { return List.of("txt", "text", "log"); }

    @Override
    public void render(RunResult r, RenderOptions o, Writer w) throws IOException {
        PrintWriter out = new PrintWriter(w);
        Style s = new Style(o.color());
        // text from targets and playbooks goes through TerminalSafe: no control character reaches the terminal
        out.println(s.bold(TerminalSafe.text(r.playbookTitle())) + s.dim(" (" + r.playbookId() + ")") + "  →  target " + s.bold(r.target())
                + (r.hosts().size() > 1 ? " (" + r.hosts().size() + " hosts)" : "")
                + (r.filters().isEmpty() ? "" : s.dim("  [" + String.join("; ", r.filters()) + "]")));
        if (r.interrupted()) out.println(s.yellow("Interrupted: this report is partial."));
        Map<String, List<CheckResult>> blockedBy = new LinkedHashMap<>();
        for (CheckResult c : r.checks()) {
            if (c.outcome() == Outcome.BLOCKED && c.blockedBy() != null) blockedBy.computeIfAbsent(c.blockedBy(), k -> new ArrayList<>()).add(c);
        }
        for (Phase phase : Phase.values()) {
            List<CheckResult> inPhase = r.checks().stream().filter(c -> c.phase() == phase && c.outcome() != Outcome.SKIPPED).toList();
            if (inPhase.isEmpty()) continue;
            long passing = inPhase.stream().filter(c -> c.outcome().passed()).count();
            out.println();
            out.println(s.bold(phase.name()) + "  " + passing + "/" + inPhase.size() + " passing");
            List<CheckResult> sorted = new ArrayList<>(inPhase);
            sorted.sort(Comparator.comparingInt((CheckResult c) -> order(c.outcome())));
            for (CheckResult c : sorted) {
                // a check blocked by another shows under its cause, unless the cause is not in this report
                if (c.outcome() == Outcome.BLOCKED && c.blockedBy() != null && r.checks().stream().anyMatch(x -> x.id().equals(c.blockedBy()))) continue;
                line(out, s, r, c, o.verbose());
                List<CheckResult> blocked = blockedBy.getOrDefault(c.id(), List.of());
                if (!blocked.isEmpty()) {
                    out.println("        " + s.dim("blocks " + blocked.size() + ": " + String.join(", ", blocked.stream()
                            .map(b -> b.id() + (b.phase() != c.phase() ? " (" + b.phase().id() + ")" : "")).toList())));
                }
            }
        }
        long skipped = r.checks().stream().filter(c -> c.outcome() == Outcome.SKIPPED).count();
        if (!o.fixes().isEmpty()) {
            out.println();
            out.println(s.bold("Fixes since the previous audit"));
            for (io.triaready.report.RenderOptions.FixNote f : o.fixes()) {
                out.println("  " + f.fix() + "  " + f.status().replace('_', ' ') + "  by " + f.operator() + "  at "
                        + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC).format(f.when()));
            }
        }
        out.println();
        out.println(s.bold("Summary"));
        String score = r.score().value() == null ? "no data" : Values.formatNumber(r.score().value()) + " / 100";
        out.println("  Score    " + s.bold(score) + s.dim("   (ready at " + Values.formatNumber(r.failUnder()) + ")"));
        out.println("  Verdict  " + verdict(s, r.verdict()) + "  " + s.dim(verdictReason(r)));
        for (PhaseScore p : r.score().phases()) {
            if (p.tally().evaluated() == 0) continue;
            out.println("  " + p.phase().name() + "       " + tally(s, p.tally()) + (p.complete() ? s.green("  complete") : ""));
        }
        if (!r.score().categories().isEmpty()) {
            StringBuilder b = new StringBuilder("  Categories");
            for (CategoryScore c : r.score().categories()) {
                b.append("  ").append(c.name()).append(' ');
                b.append(c.points() == null ? "-" : Values.formatNumber(c.points()) + "/" + Values.formatNumber(c.budget()));
            }
            out.println(b);
        }
        out.println("  " + r.checks().size() + " checks" + (skipped > 0 ? " (" + skipped + " not selected)" : "") + " in "
                + Durations.format(java.time.Duration.ofMillis(r.durationMs())));
        out.flush();
    }

    private static int order(Outcome o) {
        return switch (o) {
            case FAIL -> 0;
            case ERROR -> 1;
            case BLOCKED -> 2;
            case FLAKY -> 3;
            case PASS -> 4;
            case SKIPPED -> 5;
        };
    }

    private static void line(PrintWriter out, Style s, RunResult r, CheckResult c, boolean verbose) {
        String label = switch (c.outcome()) {
            case PASS -> s.green("✓ PASS   ");
            case FLAKY -> s.cyan("~ FLAKY  ");
            case FAIL -> s.red("✗ FAIL   ");
            case ERROR -> s.yellow("! ERROR  ");
            case BLOCKED -> s.dim("- BLOCKED");
            case SKIPPED -> s.dim("  SKIPPED");
        };
        boolean ok = c.outcome().passed();
        String title = c.title() != null && !c.title().equals(c.id()) ? "  " + s.dim(TerminalSafe.text(c.title())) : "";
        out.println("  " + label + " " + (ok ? c.id() : s.bold(c.id())) + title + (c.outcome() == Outcome.FLAKY ? s.dim("  " + TerminalSafe.text(c.message())) : ""));
        if (ok && !verbose) return;
        boolean multi = c.hosts().size() > 1;
        for (HostResult h : c.hosts()) {
            if (multi && h.outcome().passed() && !verbose) continue;
            String prefix = multi ? "        " + s.bold(h.host()) + " " + h.outcome().id() + ": " : "        ";
            if (h.outcome() == Outcome.FAIL) {
                for (String f : h.failures()) out.println(prefix + TerminalSafe.text(f));
            } else if (!h.outcome().passed() || verbose) {
                out.println(prefix + TerminalSafe.text(h.message()));
            }
            if (!h.outcome().passed() || verbose) {
                for (String n : h.notes()) out.println("        " + s.dim(TerminalSafe.text(n)));
            }
        }
        if (c.hosts().isEmpty() && !ok) out.println("        " + TerminalSafe.text(c.message()));
        if (!ok && c.fix() != null) {
            out.println("        fix: " + s.bold("tria-ready fix " + c.fix() + (r.target().equals("local") ? "" : " --target " + r.target())));
        }
    }

    private static String tally(Style s, Tally t) {
        List<String> parts = new ArrayList<>();
        parts.add(t.passed() + "/" + t.evaluated() + " pass");
        if (t.flaky() > 0) parts.add(s.cyan(t.flaky() + " flaky"));
        if (t.fail() > 0) parts.add(s.red(t.fail() + " fail"));
        if (t.error() > 0) parts.add(s.yellow(t.error() + " error"));
        if (t.blocked() > 0) parts.add(t.blocked() + " blocked");
        return String.join(" · ", parts);
    }

    private static String verdict(Style s, Verdict v) {
        return switch (v) {
            case READY -> s.green(s.bold("READY"));
            case NOT_READY -> s.yellow(s.bold("NOT READY"));
            case BLOCKED -> s.red(s.bold("BLOCKED"));
            case NO_DATA -> s.yellow(s.bold("NO DATA"));
        };
    }

    static String verdictReason(RunResult r) {
        long p0 = r.checks().stream().filter(c -> c.phase() == Phase.P0 && c.outcome() != Outcome.SKIPPED && !c.outcome().passed()).count();
        return switch (r.verdict()) {
            case BLOCKED -> p0 + " P0 check" + (p0 == 1 ? "" : "s") + " not passing";
            case NOT_READY -> "score under " + Values.formatNumber(r.failUnder());
            case NO_DATA -> "no check was evaluated";
            case READY -> "all P0 checks pass" + (r.failUnder() > 0 ? ", score at or above " + Values.formatNumber(r.failUnder()) : "");
        };
    }
}
