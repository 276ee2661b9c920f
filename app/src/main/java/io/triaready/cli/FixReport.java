package io.triaready.cli;

import java.io.PrintWriter;
import java.util.Map;

import io.triaready.core.playbook.FixDef;
import io.triaready.core.result.Outcome;
import io.triaready.fix.FixResult;
import io.triaready.fix.FixRunner;
import io.triaready.fix.FixStatus;
import io.triaready.report.Style;
import io.triaready.report.TerminalSafe;

/** Prints a fix's plan before it runs, and its outcome after: before → after for every repaired check. */
final class FixReport {
    private final Style style;

    FixReport(boolean color) {
        this.style = new Style(color);
    }

    void printPlan(FixRunner.Plan plan, PrintWriter out) {
        FixDef fix = plan.fix();
        out.println();
        out.println(style.bold("Fix " + fix.id()) + " — " + fix.title());
        out.println("  target      " + plan.target() + (plan.hosts().isEmpty() ? "" : "  (" + String.join(", ", plan.hosts()) + ")"));
        if (fix.isManual()) {
            out.println("  manual      " + fix.manual().strip().replace("\n", "\n              "));
        }
        for (int i = 0; i < plan.steps().size(); i++) out.println((i == 0 ? "  steps       " : "              ") + (i + 1) + ". " + indent(plan.steps().get(i)));
        for (int i = 0; i < plan.rollback().size(); i++) out.println((i == 0 ? "  rollback    " : "              ") + (i + 1) + ". " + indent(plan.rollback().get(i)));
        out.println("  risk        disruption " + fix.disruption().id() + (fix.restarts() != null ? ", restarts " + fix.restarts() : "")
                + (fix.reboots() ? ", REBOOTS the host" : ""));
        out.println("  verify      " + (plan.verify().isEmpty() ? "-" : String.join(", ", plan.verify())));
        out.flush();
    }

    void print(FixResult r, PrintWriter out) {
        out.println();
        String status = switch (r.status()) {
            case FIXED, NOTHING_TO_FIX -> style.bold(style.green(r.status().label()));
            case DRY_RUN, MANUAL, NOT_APPROVED, INTERRUPTED -> style.bold(style.yellow(r.status().label()));
            default -> style.bold(style.red(r.status().label()));
        };
        out.println(style.bold("Fix " + r.fixId()) + ": " + status + " — " + TerminalSafe.text(r.message()));
        boolean changedNothing = r.status() == FixStatus.NOTHING_TO_FIX || r.status() == FixStatus.DRY_RUN
                || r.status() == FixStatus.NOT_APPROVED || r.status() == FixStatus.PRECONDITION_FAILED;
        for (Map.Entry<String, Outcome> e : r.before().entrySet()) {
            Outcome after = r.after().get(e.getKey());
            String why = r.reasons().get(e.getKey());
            out.println("  " + e.getKey() + "  " + e.getValue().name() + (after == null || changedNothing ? "" : " → " + after.name())
                    + (why == null || changedNothing ? "" : "   " + TerminalSafe.text(why)));
        }
        out.flush();
    }

    /** A multi-line script, continued under its step number. */
    private static String indent(String step) { return step.replace("\n", "\n" + " ".repeat(19)); }
}
