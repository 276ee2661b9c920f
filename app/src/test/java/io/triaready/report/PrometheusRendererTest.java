package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.triaready.core.engine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusRendererTest {
    private final PrometheusRenderer renderer = new PrometheusRenderer();

    @TempDir
    Path tmp;

    @Test
    void sampleMatchesGolden() {
        Golden.check("sample.prom", Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN));
    }

    @Test
    void noDataMatchesGolden() {
        Golden.check("nodata.prom", Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN));
    }

    @Test
    void passesPromtool() {
        for (RunResult r : List.of(SampleResults.sample(), SampleResults.noData(), SampleResults.hostile())) {
            Tools.Result res = promtool(Golden.render(renderer, r, RenderOptions.PLAIN));
            assertThat(res.exit()).as("promtool check metrics: %s", res.all()).isZero();
            assertThat(res.all()).as("promtool lint findings").isBlank();
        }
    }

    @Test
    void promtoolCanFail() {
        // A sample with an unescaped quote in a label value must be rejected, or the test above proves nothing.
        Tools.Result res = promtool("# HELP x_y A gauge.\n# TYPE x_y gauge\nx_y{a=\"b\"c\"} 1\n");
        assertThat(res.exit()).isNotZero();
    }

    @Test
    void seriesForScoreVerdictChecksAndPhases() {
        String prom = Golden.render(renderer, SampleResults.sample(), RenderOptions.PLAIN);
        assertThat(prom)
                .contains("tria_ready_score{playbook=\"tria-aibpo\",target=\"prod\"} 59.333\n")
                .contains("tria_ready_verdict{playbook=\"tria-aibpo\",target=\"prod\",verdict=\"BLOCKED\"} 1\n")
                .contains("tria_ready_verdict{playbook=\"tria-aibpo\",target=\"prod\",verdict=\"READY\"} 0\n")
                .contains("tria_ready_check_status{playbook=\"tria-aibpo\",target=\"prod\",check=\"auto-restart\",phase=\"p0\",host=\"app-2\",status=\"fail\"} 1\n")
                .contains("tria_ready_check_status{playbook=\"tria-aibpo\",target=\"prod\",check=\"chatbot-answers\",phase=\"p0\",host=\"-\",status=\"blocked\"} 1\n")
                .contains("tria_ready_phase_checks{playbook=\"tria-aibpo\",target=\"prod\",phase=\"p0\",status=\"fail\"} 3\n")
                .contains("tria_ready_phase_checks{playbook=\"tria-aibpo\",target=\"prod\",phase=\"p1\",status=\"flaky\"} 1\n")
                .contains("tria_ready_check_duration_seconds{playbook=\"tria-aibpo\",target=\"prod\",check=\"xero-connected\",phase=\"p1\",host=\"-\"} 10.004\n")
                .contains("tria_ready_last_run_timestamp_seconds{playbook=\"tria-aibpo\",target=\"prod\"} 1795253412.615\n")
                .doesNotContain("check=\"chatbot-answers\",phase=\"p0\",host=\"-\"} 0"); // blocked checks have no duration
        assertThat(prom.lines().filter(l -> l.startsWith("tria_ready_check_status{"))).hasSize(16);
    }

    @Test
    void noDataHasNoScoreSample() {
        String prom = Golden.render(renderer, SampleResults.noData(), RenderOptions.PLAIN);
        assertThat(prom.lines().filter(l -> l.startsWith("tria_ready_score{"))).isEmpty();
        assertThat(prom).contains("# TYPE tria_ready_score gauge\n")
                .contains("tria_ready_verdict{playbook=\"tria-aibpo\",target=\"staging\",verdict=\"NO_DATA\"} 1\n")
                .doesNotContain("NaN");
    }

    @Test
    void labelValuesAreEscaped() {
        String prom = Golden.render(renderer, SampleResults.hostile(), RenderOptions.PLAIN);
        assertThat(prom).contains("target=\"evil\\\"target\"");
        assertThat(PrometheusRenderer.escapeLabel("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }

    private Tools.Result promtool(String text) {
        String promtool = Tools.require("promtool", "apt-get install -y prometheus (Debian package that ships promtool)");
        Path file = Golden.temp(tmp, "metrics.prom", text);
        // promtool reads the metrics from stdin; a shell redirect keeps Tools.run simple.
        return Tools.run(Duration.ofSeconds(60), tmp, List.of("/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool, file.toString()));
    }
}
