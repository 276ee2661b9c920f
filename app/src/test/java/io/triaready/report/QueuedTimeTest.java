package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.Test;

/** Time a check waited for a slot: {@code queued_ms} in the JSON result, a line in the text report when notable. */
class QueuedTimeTest {
    static RunResult withQueued(long queuedMs) {
        HostResult h = new HostResult("web", Outcome.ERROR, "command timed out after 3s", List.of(), Map.of(), List.of(), 3012, 1, queuedMs);
        return SampleResults.sample(List.of(SampleResults.check("queued-check", "Waited for a lane", Phase.P1, "ops", "command",
                Outcome.ERROR, h.message(), null, null, List.of(h))));
    }

    @Test
    void queuedTimeRoundTripsThroughJsonAndOlderResultsReadAsZero() throws Exception {
        StringWriter json = new StringWriter();
        ResultJson.write(withQueued(2500), json);
        assertThat(json.toString()).contains("\"queued_ms\" : 2500");
        RunResult back = ResultJson.read(new StringReader(json.toString()));
        HostResult h = back.checks().stream().filter(c -> c.id().equals("queued-check")).findFirst().orElseThrow().hosts().get(0);
        assertThat(h.queuedMs()).isEqualTo(2500);
        assertThat(h.durationMs()).isEqualTo(3012);

        RunResult old = ResultJson.read(new StringReader(json.toString().replace("\"queued_ms\" : 2500,", "")));
        assertThat(old.checks().stream().filter(c -> c.id().equals("queued-check")).findFirst().orElseThrow().hosts().get(0).queuedMs()).isZero();
    }

    @Test
    void theTextReportMentionsANotableWaitUnderACheckThatDidNotPass() throws Exception {
        StringWriter notable = new StringWriter();
        new TextRenderer().render(withQueued(2500), RenderOptions.PLAIN, notable);
        assertThat(notable.toString()).contains("waited 2.5s for a free slot (not counted in its timeout or duration)");
        StringWriter small = new StringWriter();
        new TextRenderer().render(withQueued(200), RenderOptions.PLAIN, small);
        assertThat(small.toString()).doesNotContain("for a free slot");
    }
}
