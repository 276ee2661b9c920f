package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * One line for logs and scripts: {@code 35 passed, 5 failed: C13 C16 C26 C31 C37}. "failed" counts
 * every evaluated check that did not pass (FAIL, ERROR and BLOCKED alike); the ids follow, in
 * playbook order, then the checks not run ({@code ; 2 not run: C40 C41}): the line never hides them. The same shape test runners print, so log scrapers need nothing new.
 */
public final class SummaryRenderer extends FormatRenderer {
    public SummaryRenderer() { super("summary", "summary"); }

    @Override
    public void render(RunResult r, RenderOptions options, Writer out) throws IOException {
        List<CheckResult> evaluated = r.checks().stream().filter(c -> c.outcome() != Outcome.SKIPPED).toList();
        List<String> failing = evaluated.stream().filter(c -> !c.outcome().passed()).map(CheckResult::id).toList();
        List<String> notRun = r.checks().stream().filter(c -> c.outcome() == Outcome.SKIPPED).map(CheckResult::id).toList();
        out.write((evaluated.size() - failing.size()) + " passed, " + failing.size() + " failed"
                + (failing.isEmpty() ? "" : ": " + String.join(" ", failing))
                + (notRun.isEmpty() ? "" : "; " + notRun.size() + " not run: " + String.join(" ", notRun)) + "\n");
    }
}
