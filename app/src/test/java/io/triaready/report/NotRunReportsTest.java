package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.score.Verdict;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that were not run (destructive, filtered, --skip, depending on a skipped check) are named with
 * their reason in every format, no summary claims more than what ran, and the fixes since the previous
 * audit are in every format, also after a JSON round trip ('tria-ready report'). Real runs of local commands.
 */
class NotRunReportsTest {
    @TempDir
    Path tmp;

    private static final String PLAYBOOK = """
            playbook: drills
            title: Drills
            checks:
              - {id: up, phase: p0, command: 'true'}
              - {id: restart-drill, phase: p0, destructive: true, command: 'true'}
              - {id: queue, phase: p1, command: 'true'}
              - {id: consumer, phase: p2, command: 'true', depends_on: [queue]}
              - {id: docs, phase: p2, command: 'true'}
            """;

    private static RunResult run(Selection selection) {
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader(PLAYBOOK), "drills.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
        return new Engine(BuiltIns.hostConnectors()).run(pb, Target.local(), RunOptions.defaults().withSelection(selection), new Secrets(),
                RunListener.NONE, "test");
    }

    private static final List<RunResult.AppliedFix> FIXES = List.of(
            new RunResult.AppliedFix(Instant.parse("2026-11-21T09:00:00Z"), "chromadb", "FIXED", "alice@laptop"));

    private static String render(Renderer r, RunResult result) {
        return Golden.render(r, result, RenderOptions.PLAIN);
    }

    private static RunResult roundTrip(RunResult r) throws Exception {
        StringWriter w = new StringWriter();
        ResultJson.write(r, w);
        return ResultJson.read(new StringReader(w.toString()));
    }

    @Test
    void everyFormatNamesEveryCheckNotRunWithItsReasonAndTheFixes() throws Exception {
        RunResult r = run(new Selection(Set.of(), Set.of(), Set.of(), Set.of("queue"))).withFixes(FIXES);
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        for (RunResult result : List.of(r, roundTrip(r))) {
            for (Renderer renderer : List.of(new TextRenderer(), new JsonRenderer(), new JunitRenderer(), new MarkdownRenderer(),
                    new HtmlRenderer(), new PrometheusRenderer())) {
                String out = render(renderer, result);
                String f = renderer.format();
                assertThat(out).as(f).contains("restart-drill").contains("destructive: runs only with --destructive")
                        .contains("skipped with --skip").contains("consumer").contains("depends on queue");
                assertThat(out).as(f).contains("chromadb").contains("FIXED");
                if (!f.equals("prometheus")) assertThat(out).as(f).contains("alice@laptop");
                assertThat(out).as(f + ": no claim that P0 passes in full").doesNotContain("all P0 checks pass").doesNotContain("READY all");
            }
            assertThat(render(new SummaryRenderer(), result)).isEqualTo("2 passed, 0 failed; 3 not run: restart-drill queue consumer\n");
        }
        String text = render(new TextRenderer(), r);
        assertThat(text).contains("Verdict  INCOMPLETE  what ran passes, but readiness is not shown: 1 P0 check not run (restart-drill)")
                .contains("Score    100 / 100 of what ran").contains("Scope    ran p0, p2 only: P1 not checked; P0: 1 of 2 not run; P2: 1 of 2 not run")
                .contains("P0       1/1 pass · 1 not run").contains("P1       not run (1 check)")
                .contains("Fixes since the previous audit");
        assertThat(text.lines().filter(l -> l.contains("complete")).toList()).as("no phase with a check not run is complete").isEmpty();
        // 'report' re-renders exactly what the audit printed
        assertThat(render(new TextRenderer(), roundTrip(r))).isEqualTo(text);
        assertThat(render(new HtmlRenderer(), roundTrip(r))).isEqualTo(render(new HtmlRenderer(), r));
    }

    @Test
    void aPhaseFilterSaysWhatWasNotCheckedInsteadOfClaimingP0() {
        RunResult r = run(new Selection(java.util.EnumSet.of(Phase.P2), Set.of(), Set.of(), Set.of()));
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        String text = render(new TextRenderer(), r);
        assertThat(text).doesNotContain("all P0 checks pass").contains("no P0 check ran")
                .contains("Scope    ran p1, p2 only: P0 not checked").contains("P0       not run (2 checks)")
                .contains("not selected (phase p2)");
        String md = render(new MarkdownRenderer(), r);
        assertThat(md).contains("Not everything was checked").contains("ran p1, p2 only: P0 not checked");
    }

    @Test
    void theMachineFormatsStayValidWithNotRunChecksAndFixes() {
        RunResult r = run(new Selection(Set.of(), Set.of(), Set.of(), Set.of("queue"))).withFixes(List.of(FIXES.get(0), FIXES.get(0)));
        String promtool = Tools.require("promtool", "apt-get install -y prometheus");
        Path prom = Golden.temp(tmp, "m.prom", render(new PrometheusRenderer(), r));
        Tools.Result res = Tools.run(Duration.ofSeconds(60), tmp, List.of("/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool, prom.toString()));
        assertThat(res.exit()).as(res.all()).isZero();
        assertThat(render(new PrometheusRenderer(), r))
                .contains("tria_ready_checks_not_run{playbook=\"drills\",target=\"local\",phase=\"p0\"} 1")
                .contains("tria_ready_fixes_since_last_audit{playbook=\"drills\",target=\"local\",fix=\"chromadb\",status=\"FIXED\"} 2")
                .contains("tria_ready_verdict{playbook=\"drills\",target=\"local\",verdict=\"INCOMPLETE\"} 1");
        String xmllint = Tools.require("xmllint", "apt-get install -y libxml2-utils");
        Path xml = Golden.temp(tmp, "r.xml", render(new JunitRenderer(), r));
        Tools.Result x = Tools.run(Duration.ofSeconds(60), tmp, List.of(xmllint, "--noout", "--schema",
                Path.of("src/test/resources/junit-10.xsd").toAbsolutePath().toString(), xml.toString()));
        assertThat(x.exit()).as(x.all()).isZero();
    }
}
