package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    private final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void sampleMatchesGolden() {
        Golden.check("sample.md", Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN));
    }

    @Test
    void noDataMatchesGolden() {
        Golden.check("nodata.md", Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN));
    }

    @Test
    void verdictAndScoreLead() {
        List<String> lines = Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN).lines().toList();
        assertThat(lines.get(0)).isEqualTo("## 🔴 BLOCKED · TRIA AIBPO production readiness");
        assertThat(lines.get(2)).startsWith("**Readiness 59.3/100** `▰▰▰▰▰▰▱▱▱▱` · fail-under 90 · 6/12 checks passing");
    }

    @Test
    void failuresComeWithExpectedActualAndFix() {
        String md = Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN);
        assertThat(md).contains("body $.chromadb: expected equals \"connected\", got \"not_initialized\"")
                .contains("```sh\ntria-ready fix chromadb --target prod\n```")
                .contains("```sh\ntria-ready fix auto-restart --target prod\n```")
                .contains("On `app-2` (fail):")
                .contains("Passed on `app-1`.");
        // Blocked checks appear under their cause (the chain too), not as red lines of their own.
        int cause = md.indexOf("#### ❌ ChromaDB knowledge base initialized");
        int blocked = md.indexOf("- Chatbot answers a customer message (`chatbot-answers`, P0)");
        int chained = md.indexOf("- Chat history is kept per session (`chatbot-history`, via `chatbot-answers`, P0)");
        int next = md.indexOf("#### ", cause + 1);
        assertThat(cause).isPositive();
        assertThat(blocked).isGreaterThan(cause).isLessThan(next);
        assertThat(chained).isGreaterThan(cause).isLessThan(next);
        assertThat(md).doesNotContain("#### ⛔");
        // Passing checks are folded away, the flaky one marked.
        int details = md.indexOf("<details><summary>✅ Passing (6)</summary>");
        assertThat(details).isGreaterThan(md.lastIndexOf("####"));
        assertThat(md).contains("| 🔁 Redis cache hit rate is at least 30% `cache-hit-rate` | P1 | performance | target | 2.0 s | flaky: passed on attempt 2 |");
    }

    @Test
    void userTextIsEscaped() {
        String md = Golden.render(renderer, SampleResults.hostile(), RenderOptions.PLAIN);
        assertThat(md).doesNotContain("<script>").doesNotContain("\u001b").doesNotContain("\u0000")
                .contains("#### ❌ &lt;script&gt;alert(1)&lt;/script&gt; \"quoted\" &amp; 'single' \\]\\]&gt; --")
                // A pipe in a title must not split the table cell.
                .contains("Log rotation keeps 14 days \\| 500 MB")
                // A fix id and target that a shell would misread are quoted.
                .contains("tria-ready fix 'fix; rm -rf /' --target 'evil\"target'");
        // Hostile evidence sits verbatim inside a fence it cannot close.
        assertThat(md).contains("```text\nbody: </failure><injected/>\n  line 2\uFFFD\nnote: note <b>bold</b>\n```\n");
        assertThat(Md.fenced("text", "a ``` b")).startsWith("````text\n").endsWith("\n````\n");
        assertThat(Md.text("*x* _y_ [l](u) `c` <i> # ~s~ a|b \\")).isEqualTo("\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` &lt;i&gt; \\# \\~s\\~ a\\|b \\\\");
    }
}
