package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RenderersTest {
    private final Renderers renderers = Renderers.builtins();

    @Test
    void reportFormatsByNameAndExtension() {
        assertThat(renderers.formats()).contains("junit", "markdown", "html", "prometheus");
        assertThat(renderers.byFileName("build/report.xml")).get().extracting(Renderer::format).isEqualTo("junit");
        assertThat(renderers.byFileName("tria.junit.xml")).get().extracting(Renderer::format).isEqualTo("junit");
        assertThat(renderers.byFileName("summary.md")).get().extracting(Renderer::format).isEqualTo("markdown");
        assertThat(renderers.byFileName("Report.HTML")).get().extracting(Renderer::format).isEqualTo("html");
        assertThat(renderers.byFileName("report.htm")).get().extracting(Renderer::format).isEqualTo("html");
        assertThat(renderers.byFileName("/var/lib/node_exporter/textfile/tria.prom")).get().extracting(Renderer::format)
                .isEqualTo("prometheus");
        assertThat(renderers.byFormat("prometheus")).isPresent();
    }
}
