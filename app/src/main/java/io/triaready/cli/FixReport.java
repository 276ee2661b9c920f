package io.triaready.cli;

import java.io.PrintWriter;
import java.util.Map;

import io.triaready.engine.Outcome;
import io.triaready.fix.FixResult;
import io.triaready.fix.FixRunner;
import io.triaready.fix.FixStatus;
import io.triaready.playbook.FixDef;

/** Prints a fix's plan before it runs, and its outcome after: before → after for every repaired check. */
final class FixReport {
    private final boolean color;

    FixReport(boolean color) {
        this.color = color;
    }

    void printPlan(FixRunner.Plan plan, PrintWriter out) {
        FixDef fix = plan.fix();
        out.println();
        out.println(bold("Fix " + fix.id()) + " — " + fix.title());
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
            case FIXED, NOTHING_TO_FIX -> green(r.status().label());
            case DRY_RUN, MANUAL -> yellow(r.status().label());
            default -> red(r.status().label());
        };
        out.println(bold("Fix " + r.fixId()) + ": " + status + " — " + r.message());
        if (r.status() != FixStatus.DRY_RUN || !r.before().isEmpty()) {
            for (Map.Entry<String, Outcome> e : r.before().entrySet()) {
                Outcome after = r.after().get(e.getKey());
                out.println("  " + e.getKey() + "  " + e.getValue().name() + (after == null || r.status() == FixStatus.NOTHING_TO_FIX
                        || r.status() == FixStatus.DRY_RUN || r.status() == FixStatus.PRECONDITION_FAILED ? "" : " → " + after.name()));
            }
        }
        out.flush();
    }

    /** A multi-line script, continued under its step number. */
    private static String indent(String step) { return step.replace("\n", "\n" + " ".repeat(19)); }

    private String wrap(String code, String s) { return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s; }

    private String bold(String s) { return wrap("1", s); }

    private String green(String s) { return wrap("32;1", s); }

    private String yellow(String s) { return wrap("33;1", s); }

    private String red(String s) { return wrap("31;1", s); }
}
