package io.triaready.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Durations;
import io.triaready.core.engine.RunResult;
import io.triaready.core.expect.Values;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.CategoryScore;
import io.triaready.core.score.Coverage;
import io.triaready.core.score.PhaseScore;
import io.triaready.core.score.Tally;
import io.triaready.core.score.Verdict;

/**
 * The report for people at a terminal: per phase, what is wrong first (expected vs. actual, and the
 * fix to run), blocked checks under the check that blocks them, passing checks one line each, then
 * the score, the verdict and the counts.
 */
public final class TextRenderer extends FormatRenderer {
    public TextRenderer() { super("text", "txt", "text", "log"); }

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
            long notRunHere = r.checks().stream().filter(c -> c.phase() == phase && c.outcome() == Outcome.SKIPPED).count();
            out.println(s.bold(phase.name()) + "  " + passing + "/" + inPhase.size() + " passing" + (notRunHere > 0 ? s.yellow("  (" + notRunHere + " not run)") : ""));
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
        Coverage cov = r.coverage();
        if (!cov.complete()) {
            // every check not run is named, with why: a summary must never hide what it did not check
            out.println();
            out.println(s.bold("Not run") + s.dim("  " + cov.notRun().size() + " check" + (cov.notRun().size() == 1 ? "" : "s") + ", not in the score"));
            for (Map.Entry<String, List<CheckResult>> e : cov.byReason().entrySet()) {
                out.println("  " + e.getKey() + ":");
                out.println("      " + String.join(", ", e.getValue().stream().map(c -> c.id() + " (" + c.phase().id() + ")").toList()));
            }
        }
        if (!r.fixes().isEmpty()) {
            out.println();
            out.println(s.bold("Fixes since the previous audit"));
            for (RunResult.AppliedFix f : r.fixes()) {
                out.println("  " + f.fix() + "  " + f.status().replace('_', ' ') + "  by " + f.operator() + "  at "
                        + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC).format(f.when()));
            }
        }
        out.println();
        out.println(s.bold("Summary"));
        String score = r.score().value() == null ? "no data" : Values.formatNumber(r.score().value()) + " / 100" + (cov.complete() ? "" : " of what ran");
        out.println("  Score    " + s.bold(score) + s.dim("   (ready at " + Values.formatNumber(r.failUnder()) + ")"));
        out.println("  Verdict  " + verdict(s, r.verdict()) + "  " + s.dim(verdictReason(r)));
        if (!cov.complete()) out.println("  Scope    " + s.yellow(cov.scopeLine()));
        for (PhaseScore p : r.score().phases()) {
            int notRun = cov.notRun(p.phase()).size();
            if (p.tally().evaluated() == 0) {
                if (notRun > 0) out.println("  " + p.phase().name() + "       " + s.yellow("not run") + s.dim(" (" + notRun + " check" + (notRun == 1 ? "" : "s") + ")"));
                continue;
            }
            out.println("  " + p.phase().name() + "       " + tally(s, p.tally()) + (notRun > 0 ? s.yellow(" · " + notRun + " not run") : "")
                    + (p.complete() ? s.green("  complete") : ""));
        }
        if (!r.score().categories().isEmpty()) {
            StringBuilder b = new StringBuilder("  Categories");
            for (CategoryScore c : r.score().categories()) {
                b.append("  ").append(c.name()).append(' ');
                b.append(c.points() == null ? "-" : Values.formatNumber(c.points()) + "/" + Values.formatNumber(c.budget()));
            }
            out.println(b);
        }
        out.println("  " + r.checks().size() + " checks" + (cov.complete() ? "" : " (" + cov.notRun().size() + " not run)") + " in "
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
                if (h.queuedMs() >= NOTABLE_QUEUE_MS) out.println("        " + s.dim(queuedNote(h)));
            }
        }
        if (c.hosts().isEmpty() && !ok) out.println("        " + TerminalSafe.text(c.message()));
        if (!ok && c.fix() != null) {
            out.println("        fix: " + s.bold("tria-ready fix " + c.fix() + (r.target().equals("local") ? "" : " --target " + r.target())));
        }
    }

    /** Waits for a slot shorter than this are not worth a line. */
    private static final long NOTABLE_QUEUE_MS = 1000;

    static String queuedNote(HostResult h) {
        return "waited " + Durations.format(java.time.Duration.ofMillis(h.queuedMs())) + " for a free slot (not counted in its timeout or duration)";
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
            case INCOMPLETE -> s.yellow(s.bold("INCOMPLETE"));
        };
    }

    /** Why the verdict, never claiming more than what ran (docs/scoring.md). */
    static String verdictReason(RunResult r) {
        Coverage cov = r.coverage();
        long p0 = r.checks().stream().filter(c -> c.phase() == Phase.P0 && c.outcome() != Outcome.SKIPPED && !c.outcome().passed()).count();
        List<CheckResult> p0NotRun = cov.notRun(Phase.P0);
        String notChecked = p0NotRun.isEmpty() ? "" : p0NotRun.size() + " P0 check" + (p0NotRun.size() == 1 ? "" : "s") + " not run ("
                + String.join(", ", p0NotRun.stream().limit(3).map(CheckResult::id).toList()) + (p0NotRun.size() > 3 ? ", ..." : "") + ")";
        boolean anyP0Ran = r.checks().stream().anyMatch(c -> c.phase() == Phase.P0 && c.outcome() != Outcome.SKIPPED);
        return switch (r.verdict()) {
            case BLOCKED -> p0 + " P0 check" + (p0 == 1 ? "" : "s") + " not passing" + (notChecked.isEmpty() ? "" : "; " + notChecked);
            case NOT_READY -> "score under " + Values.formatNumber(r.failUnder()) + (cov.complete() ? "" : " for what ran")
                    + (notChecked.isEmpty() ? "" : "; " + notChecked);
            case NO_DATA -> "no check was evaluated";
            case INCOMPLETE -> "what ran passes, but readiness is not shown: " + notChecked
                    + (anyP0Ran ? "" : "; no P0 check ran");
            case READY -> (cov.complete() ? "" : "for what ran: ")
                    + (r.checks().stream().anyMatch(c -> c.phase() == Phase.P0) ? "all P0 checks pass" : "no P0 checks")
                    + (r.failUnder() > 0 ? ", score at or above " + Values.formatNumber(r.failUnder()) : "");
        };
    }
}
