package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report, rendered and also loaded in headless Chromium: no script errors (the page records
 * them into #js-errors), the filters work (the page's #selftest hook), hostile text stays inert.
 *
 * <p>The screenshot in {@code docs/report-html.png} comes from {@link #screenshotOfTheSample()}: it always
 * writes {@code app/target/report-html.png}; with {@code -Dscreenshot.update=true} it also copies it to
 * {@code docs/}.
 */
class HtmlRendererTest {
    private static final Pattern ERRORS = Pattern.compile("<pre id=\"js-errors\"( hidden=\"\")?>(.*?)</pre>", Pattern.DOTALL);

    private final HtmlRenderer renderer = new HtmlRenderer();

    @TempDir
    Path tmp;

    @Test
    void sampleMatchesGolden() {
        Golden.check("sample.html", Golden.render(renderer, SampleResults.sample(), SampleResults.withHistory()));
    }

    @Test
    void noDataMatchesGolden() {
        Golden.check("nodata.html", Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN));
    }

    @Test
    void selfContained() {
        String html = Golden.render(renderer, SampleResults.sample(), SampleResults.withHistory());
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//")
                .doesNotContainPattern("(?i)@import|url\\(")
                .contains("default-src 'none'");
        assertThat(html.split("<script>", -1)).hasSize(3); // exactly the two inline scripts the CSP allows by hash
    }

    @Test
    void noDataShowsNoScore() {
        String html = Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN);
        assertThat(html).contains("<div class=\"score none\">no data</div>").contains(">NO DATA</div>")
                .doesNotContain("<span class=\"num\">");
    }

    @Test
    void hostileTextIsEscaped() {
        String html = Golden.render(renderer, SampleResults.hostile(), RenderOptions.PLAIN);
        assertThat(html).doesNotContain("<script>alert(1)</script>").doesNotContain("<injected/>").doesNotContain("<b>bold</b>")
                .doesNotContain("\u001b").doesNotContain("\u0000")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; \"quoted\" &amp; 'single' ]]&gt; --")
                .contains("data-search=\"evil &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;")
                .contains("&lt;/failure&gt;&lt;injected/&gt;\nline 2\uFFFD");
    }

    @Test
    void loadsInChromiumWithoutErrorsAndHostileTextStaysInert() {
        String dom = dumpDom(Golden.render(renderer, SampleResults.hostile(), SampleResults.withHistory()), "");
        assertThat(dom).contains("data-js=\"ready\"");
        assertNoScriptErrors(dom);
        // The injected markup is text, not elements.
        assertThat(dom).doesNotContain("<injected").doesNotContain("<script>alert(1)");
    }

    @Test
    void errorHookCatchesScriptErrors() {
        // Proves the check above can fail: a broken inline script is refused by the CSP and reported.
        String html = Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN)
                .replace("</body>", "<script>undefinedFunction();</script></body>");
        String dom = dumpDom(html, "");
        Matcher m = ERRORS.matcher(dom);
        assertThat(m.find()).as("#js-errors in %s", dom).isTrue();
        assertThat(m.group(2)).contains("csp:");
    }

    @Test
    void filtersWork() {
        RunResult sample = SampleResults.sample();
        String dom = dumpDom(Golden.render(renderer, sample, SampleResults.withHistory()), "#selftest");
        assertNoScriptErrors(dom);
        Matcher m = Pattern.compile("<pre id=\"selftest\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("selftest output in %s", dom).isTrue();
        Map<String, int[]> got = new LinkedHashMap<>();
        for (String line : m.group(1).split("\n")) {
            String[] p = line.split(" ");
            got.put(p[0], new int[] {Integer.parseInt(p[1]), Integer.parseInt(p[2])});
        }
        List<Row> rows = Row.of(sample);
        Map<String, Predicate<Row>> expected = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            if (rows.stream().anyMatch(r -> r.outcome() == o)) expected.put("status=" + o.id(), r -> r.outcome() == o);
        }
        expected.put("status=notpass", r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.ERROR || r.outcome() == Outcome.BLOCKED);
        for (String p : List.of("p0", "p1", "p2")) expected.put("phase=" + p, r -> r.check().phase().id().equals(p));
        for (String h : List.of("-", "app-1", "app-2")) expected.put("host=" + h, r -> r.host().equals(h));
        expected.put("phase=p1,status=pass", r -> r.check().phase().id().equals("p1") && r.outcome() == Outcome.PASS);
        // The search covers id, title and message: "blocked by chromadb-connected" matches too.
        expected.put("q=chroma", r -> (r.check().id() + " " + r.check().title() + " " + r.message()).toLowerCase(Locale.ROOT).contains("chroma"));
        expected.put("all", r -> true);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Predicate<Row>> e : expected.entrySet()) {
            int want = (int) rows.stream().filter(e.getValue()).count();
            int[] have = got.get(e.getKey());
            if (have[0] != want || have[1] != want) mismatches.add(e.getKey() + ": want " + want + ", laid out " + have[0] + ", counted " + have[1]);
        }
        assertThat(mismatches).isEmpty();
        assertThat(got.get("status=fail")[0]).isEqualTo(3);
        assertThat(got.get("host=app-2")[0]).isEqualTo(3);
    }

    @Test
    void screenshotOfTheSample() throws IOException {
        Path html = Golden.temp(tmp, "report.html", Golden.render(renderer, SampleResults.sample(), SampleResults.withHistory()));
        Path png = Path.of("target/report-html.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Tools.Result res = chromium(List.of("--screenshot=" + png, "--window-size=1280,1400", "--hide-scrollbars", html.toUri().toString()));
        assertThat(png).as("chromium: %s", res.all()).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
        if (Boolean.getBoolean("screenshot.update")) {
            Path docs = Path.of("../docs/report-html.png");
            Files.createDirectories(docs.getParent());
            Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void assertNoScriptErrors(String dom) {
        Matcher m = ERRORS.matcher(dom);
        assertThat(m.find()).as("#js-errors marker in %s", dom).isTrue();
        assertThat(m.group(2)).as("script errors").isEmpty();
        assertThat(m.group(1)).as("#js-errors still hidden").isNotNull();
    }

    private String dumpDom(String html, String hash) {
        Path file = Golden.temp(tmp, "page.html", html);
        Tools.Result res = chromium(List.of("--dump-dom", file.toUri() + hash));
        assertThat(res.exit()).as("chromium: %s", res.stderr()).isZero();
        return res.stdout();
    }

    private Tools.Result chromium(List<String> args) {
        String chromium = Tools.require("chromium", "apt-get install -y chromium (Debian; the tests run it headless)");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(args);
        return Tools.run(Duration.ofSeconds(120), tmp, cmd);
    }
}
