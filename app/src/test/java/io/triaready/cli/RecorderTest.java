package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.history.FileStore;
import io.triaready.history.HistoryEntry;
import io.triaready.history.StoreSpec;
import io.triaready.report.RenderOptions.HistoryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private Recorder recorder(String store) {
        return Recorder.of(StoreSpec.resolve(store, Map.<String, String>of()::get), new PrintWriter(err, true));
    }

    private static RunResult run(String playbook, String target, int minute, int passing) {
        // the JSON fixture of CliTest's schema test, varied: passing of 4 checks pass
        StringBuilder checks = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) checks.append(',');
            checks.append("{\"id\":\"c").append(i).append("\",\"title\":\"c\",\"phase\":\"p1\",\"weight\":1,\"tags\":[],\"status\":\"")
                    .append(i < passing ? "pass" : "fail").append("\",\"hosts\":[],\"duration_ms\":1}");
        }
        double score = passing * 25.0;
        String json = "{\"schema\":\"tria-ready/result/v1\",\"tool\":{\"version\":\"t\"},\"playbook\":{\"id\":\"" + playbook + "\"},\"target\":{\"name\":\""
                + target + "\",\"hosts\":[]},\"started\":\"" + Instant.parse("2026-11-20T10:00:00Z").plusSeconds(60L * minute)
                + "\",\"finished\":\"2026-11-20T12:00:00Z\",\"filters\":[],\"interrupted\":false,\"verdict\":\"" + (passing == 4 ? "READY" : "NOT_READY")
                + "\",\"fail_under\":100,\"score\":{\"value\":" + score + ",\"total\":{},\"phases\":[],\"categories\":[]},\"checks\":[" + checks + "]}";
        try {
            return io.triaready.report.ResultJson.read(new java.io.StringReader(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reportsGetTheLastTwentyScoresOfTheSamePlaybookAndTargetOldestFirst() throws Exception {
        Recorder r = recorder(dir.toString());
        for (int i = 0; i < 25; i++) r.record(run("shop", "prod", i, i % 5), "{}");
        r.record(run("shop", "staging", 30, 4), "{}");
        r.record(run("other", "prod", 31, 4), "{}");
        List<HistoryEntry> prod = new FileStore(dir).entries("shop", "prod", 0);
        List<HistoryPoint> points = r.previous(run("shop", "prod", 40, 4));
        assertThat(points).hasSize(Recorder.TREND_POINTS);
        assertThat(points).isEqualTo(Recorder.points(prod.subList(5, 25)));
        assertThat(points.get(0).when()).isEqualTo(prod.get(5).started());
        assertThat(points.get(18).score()).isEqualTo(75.0);
        assertThat(points.get(18).verdict()).isEqualTo("NOT_READY");
        assertThat(points.get(19).verdict()).isEqualTo("READY");
        assertThat(err.toString()).isEmpty();
        assertThat(recorder(dir.resolve("never-written").toString()).previous(run("shop", "prod", 0, 4))).isEmpty();
    }

    @Test
    void aFailingStoreWarnsOnceAndIsThenLeftAlone() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("index.jsonl"), "");
        Files.writeString(broken.resolve("results"), "not a directory");
        Recorder r = recorder(broken.toString());
        assertThat(r.previous(run("shop", "prod", 0, 4))).isEmpty();
        assertThat(r.record(run("shop", "prod", 0, 4), "{}")).isNull();
        assertThat(r.record(run("shop", "prod", 1, 4), "{}")).isNull();
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("tria-ready: warning: this run is not recorded in history: cannot record in " + broken);
        assertThat(Recorder.off().record(run("shop", "prod", 0, 4), "{}")).isNull();
    }
}
