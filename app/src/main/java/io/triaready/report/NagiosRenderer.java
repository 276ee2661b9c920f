package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.Tally;

/**
 * The monitoring-plugin convention (Nagios, Icinga, Sensu, Zabbix's nagios checks): one status line
 * {@code TRIA-READY OK|WARNING|CRITICAL|UNKNOWN - ...} with performance data after a {@code |}, then one
 * line per check that did not pass (the plugin's long output). With {@code -f nagios} the audit exits
 * with the plugin's code (0/1/2/3: {@link #status}), so the monitoring system reads the state directly.
 * READY is OK, NOT READY and INCOMPLETE are WARNING (it works, it is not shown ready), BLOCKED is
 * CRITICAL (a P0 check fails), NO DATA and an interrupted run are UNKNOWN.
 */
public final class NagiosRenderer extends FormatRenderer {
    /** A plugin state: its name and exit code. */
    public enum Status {
        OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3);

        public final int exitCode;

        Status(int exitCode) { this.exitCode = exitCode; }
    }

    public NagiosRenderer() { super("nagios", "nagios"); }

    public static Status status(RunResult r) {
        if (r.interrupted()) return Status.UNKNOWN;
        return switch (r.verdict().name()) {
            case "READY" -> Status.OK;
            case "NOT_READY", "INCOMPLETE" -> Status.WARNING;
            case "BLOCKED" -> Status.CRITICAL;
            default -> Status.UNKNOWN;
        };
    }

    @Override
    public void render(RunResult r, RenderOptions options, Writer out) throws IOException {
        Tally t = r.score().total();
        StringBuilder b = new StringBuilder(512);
        b.append("TRIA-READY ").append(status(r).name()).append(" - ").append(r.verdict().label());
        if (r.interrupted()) b.append(" (interrupted)");
        b.append(", score ").append(Fmt.score(r.score().value())).append(", ").append(t.passed()).append('/').append(t.evaluated())
                .append(" checks passing (").append(oneLine(r.playbookId())).append(" on ").append(oneLine(r.target())).append(')');
        // perfdata: 'label'=value[UOM];[warn];[crit];[min];[max]; the score warns under fail-under
        b.append(" | score=").append(r.score().value() == null ? "U" : Fmt.number(r.score().value()))
                .append(";").append(Fmt.number(r.failUnder())).append(";;0;100")
                .append(" pass=").append(t.pass()).append(" flaky=").append(t.flaky()).append(" fail=").append(t.fail())
                .append(" error=").append(t.error()).append(" blocked=").append(t.blocked()).append(" skipped=").append(t.skipped())
                .append(" duration=").append(String.format(Locale.ROOT, "%.3fs", r.durationMs() / 1000.0)).append('\n');
        for (CheckResult c : r.checks()) {
            if (c.outcome().passed() || c.outcome() == Outcome.SKIPPED) continue;
            b.append(c.outcome().id().toUpperCase(Locale.ROOT)).append(' ').append(c.phase().name()).append(' ').append(oneLine(c.id()))
                    .append(": ").append(oneLine(c.message())).append('\n');
        }
        out.write(b.toString());
    }

    /** The status line is parsed up to the first '|' and line break: neither may come from a value. */
    private static String oneLine(String s) {
        return s == null ? "" : s.replace('|', '/').replace('\n', ' ').replace('\r', ' ');
    }
}
