package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.score.PhaseScore;

/**
 * JUnit XML for CI test-report views (Jenkins junit/xUnit, GitLab {@code artifacts:reports:junit},
 * GitHub test-reporter actions, Azure). One {@code <testsuite>} per phase, one {@code <testcase>} per
 * check and host. FAIL is a {@code <failure>}, ERROR an {@code <error>}, BLOCKED and SKIPPED are
 * {@code <skipped>}, FLAKY passes with a {@code <system-out>} note. Valid against Jenkins' junit-10 schema.
 */
public final class JunitRenderer extends FormatRenderer {
    public JunitRenderer() { super("junit", "xml", "junit.xml"); }

    @Override
    public void render(RunResult r, RenderOptions options, Writer out) throws IOException {
        Map<Phase, List<Row>> byPhase = new LinkedHashMap<>();
        for (PhaseScore ps : r.score().phases()) byPhase.put(ps.phase(), new ArrayList<>());
        for (CheckResult c : r.checks()) byPhase.computeIfAbsent(c.phase(), k -> new ArrayList<>()).addAll(Row.of(c));
        List<Row> all = byPhase.values().stream().flatMap(List::stream).toList();
        Causes causes = new Causes(r);

        StringBuilder b = new StringBuilder(8192);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuites name=\"").append(Xml.attr(r.playbookId() + " @ " + r.target())).append('"')
                .append(counts(all, false)).append(" time=\"").append(Fmt.seconds(r.durationMs())).append("\">\n");
        for (Map.Entry<Phase, List<Row>> e : byPhase.entrySet()) {
            Phase phase = e.getKey();
            List<Row> rows = e.getValue();
            String suite = r.playbookId() + "." + phase.id();
            long time = rows.stream().mapToLong(Row::durationMs).sum();
            b.append("  <testsuite name=\"").append(Xml.attr(suite)).append('"').append(counts(rows, true))
                    .append(" time=\"").append(Fmt.seconds(time)).append("\" timestamp=\"").append(Fmt.iso(r.started()))
                    .append("\" hostname=\"").append(Xml.attr(r.target())).append("\">\n");
            properties(b, r, phase);
            for (Row row : rows) testcase(b, r, suite, row, causes);
            b.append("  </testsuite>\n");
        }
        b.append("</testsuites>\n");
        out.write(b.toString());
    }

    private static String counts(List<Row> rows, boolean withSkipped) {
        int fail = 0, error = 0, skipped = 0;
        for (Row row : rows) {
            switch (row.outcome()) {
                case FAIL -> fail++;
                case ERROR -> error++;
                case BLOCKED, SKIPPED -> skipped++;
                default -> { }
            }
        }
        // junit-10 has no "skipped" attribute on <testsuites>; tools sum the suites.
        return " tests=\"" + rows.size() + "\" failures=\"" + fail + "\" errors=\"" + error + "\""
                + (withSkipped ? " skipped=\"" + skipped + "\"" : "");
    }

    private static void properties(StringBuilder b, RunResult r, Phase phase) {
        b.append("    <properties>\n");
        property(b, "playbook", r.playbookId());
        property(b, "target", r.target());
        property(b, "phase", phase.id());
        PhaseScore ps = r.score().phases().stream().filter(p -> p.phase() == phase).findFirst().orElse(null);
        if (ps != null) {
            property(b, "phase.score", ps.score() == null ? "no data" : Fmt.number(ps.score()));
            property(b, "phase.complete", String.valueOf(ps.complete()));
        }
        property(b, "score", r.score().value() == null ? "no data" : Fmt.number(r.score().value()));
        property(b, "verdict", r.verdict().name());
        property(b, "verdict.reason", TextRenderer.verdictReason(r));
        if (!r.coverage().complete()) {
            property(b, "scope", r.coverage().scopeLine());
            property(b, "not-run", String.valueOf(r.coverage().notRun().size()));
        }
        for (RunResult.AppliedFix f : r.fixes()) {
            property(b, "fix." + f.fix(), f.status() + " by " + f.operator() + " at " + Fmt.iso(f.when()));
        }
        property(b, "fail-under", Fmt.number(r.failUnder()));
        if (r.interrupted()) property(b, "interrupted", "true");
        property(b, "tool", "tria-ready " + Fmt.nz(r.toolVersion()));
        b.append("    </properties>\n");
    }

    private static void property(StringBuilder b, String name, String value) {
        b.append("      <property name=\"").append(Xml.attr(name)).append("\" value=\"").append(Xml.attr(Fmt.nz(value)))
                .append("\"/>\n");
    }

    private static void testcase(StringBuilder b, RunResult r, String classname, Row row, Causes causes) {
        CheckResult c = row.check();
        b.append("    <testcase name=\"").append(Xml.attr(row.name())).append("\" classname=\"").append(Xml.attr(classname))
                .append("\" time=\"").append(Fmt.seconds(row.durationMs())).append('"');
        String type = c.type() == null || c.type().isBlank() ? "check" : c.type();
        switch (row.outcome()) {
            case PASS -> b.append("/>\n");
            case FLAKY -> {
                b.append(">\n      <system-out>").append(Xml.text(flakyNote(row))).append("</system-out>\n");
                b.append("    </testcase>\n");
            }
            case FAIL -> element(b, "failure", failureMessage(row), type, details(r, row, causes));
            case ERROR -> element(b, "error", row.message(), type, details(r, row, causes));
            case BLOCKED -> skipped(b, c.blockedBy() != null ? "blocked by " + c.blockedBy() : row.message());
            case SKIPPED -> skipped(b, "not run: " + row.message());
        }
    }

    private static void skipped(StringBuilder b, String message) {
        b.append(">\n      <skipped message=\"").append(Xml.attr(Fmt.oneLine(message))).append("\"/>\n    </testcase>\n");
    }

    private static void element(StringBuilder b, String name, String message, String type, String body) {
        b.append(">\n      <").append(name).append(" message=\"").append(Xml.attr(Fmt.oneLine(message)))
                .append("\" type=\"").append(Xml.attr(type)).append("\">").append(Xml.text(body)).append("</")
                .append(name).append(">\n    </testcase>\n");
    }

    /** The headline of a failure: the first "expected vs actual" line, which says more than "failed". */
    private static String failureMessage(Row row) {
        return row.failures().isEmpty() ? row.message() : row.failures().get(0);
    }

    private static String flakyNote(Row row) {
        StringBuilder s = new StringBuilder("flaky: passed");
        if (row.attempts() > 1) s.append(" on attempt ").append(row.attempts());
        s.append(" (counts as a pass)");
        for (String n : row.notes()) s.append('\n').append(n);
        return s.toString();
    }

    /** The failure's text: what was checked, expected vs actual, the evidence, what it blocks, the fix. */
    private static String details(RunResult r, Row row, Causes causes) {
        CheckResult c = row.check();
        StringBuilder s = new StringBuilder();
        s.append("check: ").append(c.id());
        if (!row.targetScoped()) s.append(" on ").append(row.host());
        s.append('\n');
        if (row.failures().isEmpty()) {
            s.append(row.message()).append('\n');
        } else {
            for (String f : row.failures()) s.append(f).append('\n');
        }
        if (!row.evidence().isEmpty()) {
            s.append("evidence:\n");
            for (Map.Entry<String, String> e : row.evidence().entrySet()) {
                s.append("  ").append(e.getKey()).append(": ").append(Fmt.indentRest(e.getValue(), "    ")).append('\n');
            }
        }
        for (String n : row.notes()) s.append("note: ").append(n).append('\n');
        for (Causes.Blocked blocked : causes.under(c.id())) {
            s.append("blocks: ").append(blocked.check().id());
            if (blocked.via() != null) s.append(" (via ").append(blocked.via()).append(')');
            s.append('\n');
        }
        String fix = Fmt.fixCommand(c, r.target());
        if (fix != null) s.append("fix: ").append(fix).append('\n');
        return s.toString();
    }
}
