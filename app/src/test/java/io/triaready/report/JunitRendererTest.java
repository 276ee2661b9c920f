package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import io.triaready.core.engine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitRendererTest {
    private static final Path XSD = Path.of("src/test/resources/junit-10.xsd");
    private final JunitRenderer renderer = new JunitRenderer();

    @TempDir
    Path tmp;

    @Test
    void sampleMatchesGolden() {
        Golden.check("sample.junit.xml", Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN));
    }

    @Test
    void noDataMatchesGolden() {
        Golden.check("nodata.junit.xml", Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN));
    }

    @Test
    void validatesAgainstJenkinsJunitSchema() {
        for (RunResult r : List.of(SampleResults.sample(), SampleResults.noData(), SampleResults.hostile())) {
            Tools.Result res = xmllint(Golden.temp(tmp, "report-" + r.target() + ".xml", Golden.render(renderer, r, RenderOptions.PLAIN)));
            assertThat(res.exit()).as("xmllint: %s", res.all()).isZero();
        }
    }

    @Test
    void schemaValidationCanFail() {
        // The validator must reject what Jenkins would: a testsuite without its required tests count.
        String broken = Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN)
                .replaceFirst("<testsuite name=\"tria-aibpo.p0\" tests=\"\\d+\"", "<testsuite name=\"tria-aibpo.p0\"");
        Tools.Result res = xmllint(Golden.temp(tmp, "broken.xml", broken));
        assertThat(res.exit()).isNotZero();
        assertThat(res.all()).contains("tests");
    }

    @Test
    void suitesPerPhaseWithConsistentCounts() throws Exception {
        Document doc = parse(Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly("tria-aibpo.p0", "tria-aibpo.p1", "tria-aibpo.p2");
        int tests = 0, failures = 0, errors = 0;
        for (Element s : suites) {
            List<Element> cases = children(s, "testcase");
            int f = 0, e = 0, sk = 0;
            for (Element c : cases) {
                assertThat(c.getAttribute("time")).matches("\\d+\\.\\d{3}");
                assertThat(c.getAttribute("classname")).isEqualTo(s.getAttribute("name"));
                f += children(c, "failure").size();
                e += children(c, "error").size();
                sk += children(c, "skipped").size();
            }
            assertThat(s.getAttribute("tests")).isEqualTo(String.valueOf(cases.size()));
            assertThat(s.getAttribute("failures")).isEqualTo(String.valueOf(f));
            assertThat(s.getAttribute("errors")).isEqualTo(String.valueOf(e));
            assertThat(s.getAttribute("skipped")).isEqualTo(String.valueOf(sk));
            assertThat(s.getAttribute("timestamp")).isEqualTo("2026-11-21T09:30:00Z");
            assertThat(s.getAttribute("hostname")).isEqualTo("prod");
            tests += cases.size();
            failures += f;
            errors += e;
        }
        // One testcase per check and host: 13 checks, 3 of them on two hosts.
        assertThat(tests).isEqualTo(16);
        assertThat(root.getAttribute("tests")).isEqualTo("16");
        assertThat(root.getAttribute("failures")).isEqualTo(String.valueOf(failures)).isEqualTo("3");
        assertThat(root.getAttribute("errors")).isEqualTo(String.valueOf(errors)).isEqualTo("1");
        assertThat(root.getAttribute("time")).isEqualTo("12.615");
    }

    @Test
    void outcomesMapToJunitElements() throws Exception {
        Document doc = parse(Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN));
        // FAIL on one host of two: the host is in the name, expected vs actual and the fix in the text.
        Element restart = testcase(doc, "Service restarts itself after a crash [app-2]");
        Element failure = children(restart, "failure").get(0);
        assertThat(failure.getAttribute("message")).startsWith("content: expected contains \"Restart=always\"");
        assertThat(failure.getAttribute("type")).isEqualTo("file");
        assertThat(failure.getTextContent()).contains("content: expected matches /RestartSec=\\d+/")
                .contains("fix: tria-ready fix auto-restart --target prod");
        assertThat(children(testcase(doc, "Service restarts itself after a crash [app-1]"), "failure")).isEmpty();
        // A failing cause names what it blocks; the blocked check is skipped with "blocked by".
        assertThat(children(testcase(doc, "ChromaDB knowledge base initialized"), "failure").get(0).getTextContent())
                .contains("blocks: chatbot-answers").contains("blocks: chatbot-history (via chatbot-answers)");
        assertThat(children(testcase(doc, "Chatbot answers a customer message"), "skipped").get(0).getAttribute("message"))
                .isEqualTo("blocked by chromadb-connected");
        assertThat(children(testcase(doc, "Backup restore drill done this quarter"), "skipped").get(0).getAttribute("message"))
                .isEqualTo("not run: excluded by tag: manual");
        // ERROR is an <error> with the one-line reason.
        assertThat(children(testcase(doc, "Xero integration token is valid"), "error").get(0).getAttribute("message"))
                .isEqualTo("GET https://tria.himeet.ai/api/v1/xero/status: timed out after 10s");
        // FLAKY passes, with a note.
        Element flaky = testcase(doc, "Redis cache hit rate is at least 30%");
        assertThat(children(flaky, "failure")).isEmpty();
        assertThat(children(flaky, "system-out").get(0).getTextContent()).contains("flaky: passed on attempt 2");
        // Target-scoped single-host check: no host suffix.
        assertThat(testcase(doc, "Backend health endpoint reports healthy").getChildNodes().getLength()).isZero();
    }

    @Test
    void noDataIsNotAPass() throws Exception {
        Document doc = parse(Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        for (int i = 0; i < cases.getLength(); i++) assertThat(children((Element) cases.item(i), "skipped")).hasSize(1);
        assertThat(doc.getElementsByTagName("property")).satisfies(props -> {
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                pairs.add(p.getAttribute("name") + "=" + p.getAttribute("value"));
            }
            assertThat(pairs).contains("score=no data", "verdict=NO_DATA").doesNotContain("score=100");
        });
    }

    @Test
    void hostileTextIsEscapedAndRoundTrips() throws Exception {
        String xml = Golden.render(renderer, SampleResults.hostile(), RenderOptions.PLAIN);
        assertThat(xml).doesNotContain("<script>").doesNotContain("\u001b").doesNotContain("\u0000");
        Document doc = parse(xml);
        Element c = testcase(doc, "<script>alert(1)</script> \"quoted\" & 'single' ]]> --");
        String text = children(c, "failure").get(0).getTextContent();
        assertThat(text).contains("body: </failure><injected/>").contains("\uFFFD[31mred").contains("line 2");
    }

    private Tools.Result xmllint(Path file) {
        String xmllint = Tools.require("xmllint", "apt-get install -y libxml2-utils");
        return Tools.run(Duration.ofSeconds(60), tmp, List.of(xmllint, "--noout", "--schema", XSD.toAbsolutePath().toString(),
                file.toString()));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    private static Element testcase(Document doc, String name) {
        NodeList nl = doc.getElementsByTagName("testcase");
        for (int i = 0; i < nl.getLength(); i++) {
            Element e = (Element) nl.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase named " + name);
    }
}
