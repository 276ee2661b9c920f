package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.Test;

/** What the sample does not cover: an interrupted run, blocked checks without a failing cause. */
class EdgeCasesTest {
    @Test
    void interruptedRunIsFlaggedInEveryFormat() {
        RunResult r = interrupted(SampleResults.sample());
        assertThat(Golden.render(new JunitRenderer(), r, RenderOptions.PLAIN)).contains("<property name=\"interrupted\" value=\"true\"/>");
        assertThat(Golden.render(new MarkdownRenderer(), r, RenderOptions.PLAIN)).contains("**Interrupted**");
        assertThat(Golden.render(new HtmlRenderer(), r, RenderOptions.PLAIN)).contains("<b>Interrupted.</b>");
        assertThat(Golden.render(new PrometheusRenderer(), r, RenderOptions.PLAIN))
                .contains("tria_ready_run_interrupted{playbook=\"tria-aibpo\",target=\"prod\"} 1\n");
    }

    @Test
    void blockedWithoutFailingCauseIsListedOnItsOwn() {
        // "restore" depends on a skipped check; "a" and "b" block each other (a broken result, but no hang).
        List<CheckResult> extra = List.of(
                SampleResults.check("restore", "Restore from last night's backup", Phase.P2, "quality", "command",
                        Outcome.BLOCKED, null, "backup-restore-drill", null, List.of()),
                SampleResults.check("a", "Loop A", Phase.P2, "quality", "command", Outcome.BLOCKED, null, "b", null, List.of()),
                SampleResults.check("b", "Loop B", Phase.P2, "quality", "command", Outcome.BLOCKED, null, "a", null, List.of()));
        RunResult r = SampleResults.sample(extra);
        Causes causes = new Causes(r);
        assertThat(causes.orphans()).extracting(CheckResult::id).containsExactly("restore", "a", "b");
        assertThat(causes.under("chromadb-connected")).extracting(b -> b.check().id()).containsExactly("chatbot-answers", "chatbot-history");

        String md = Golden.render(new MarkdownRenderer(), r, RenderOptions.PLAIN);
        assertThat(md).contains("### ⛔ Blocked (3)")
                .contains("- Restore from last night's backup (`restore`, P2): blocked by backup-restore-drill");
        String html = Golden.render(new HtmlRenderer(), r, RenderOptions.PLAIN);
        assertThat(html).contains("<h2>Needs attention (7)</h2>").contains("blocked by backup-restore-drill");
        assertThat(Golden.render(new JunitRenderer(), r, RenderOptions.PLAIN))
                .contains("<skipped message=\"blocked by backup-restore-drill\"/>");
    }

    private static RunResult interrupted(RunResult r) {
        return new RunResult(r.schema(), r.toolVersion(), r.playbookId(), r.playbookTitle(), r.playbookSource(), r.target(), r.hosts(),
                r.started(), r.finished(), r.filters(), r.checks(), r.score(), r.failUnder(), r.verdict(), true);
    }
}
