package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunResult;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.report.ResultJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --deadline} bounds the whole audit, as a user timing the command sees it. */
class DeadlineCliTest {
    @TempDir
    Path dir;

    @Test
    void theDeadlineBoundsTheRunAndTheReportIsStillWritten() throws Exception {
        StringBuilder pb = new StringBuilder("playbook: deadline\nchecks:\n");
        for (int i = 1; i <= 6; i++) pb.append("  - {id: s").append(i).append(", phase: p1, command: 'sleep 1'}\n");
        Path playbook = Files.writeString(dir.resolve("pb.yaml"), pb);
        Path json = dir.resolve("result.json");

        long start = System.nanoTime();
        Cli r = Cli.run("audit", "-p", playbook.toString(), "-j", "1", "--deadline", "2s", "-o", json.toString(), "--no-store", "--no-color");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(ms).as("six 1s checks one at a time with --deadline 2s: the command ends within 3s").isLessThan(3000);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        RunResult result = ResultJson.read(new StringReader(Files.readString(json)));
        List<CheckResult> notStarted = result.checks().stream().filter(c -> c.message().equals(Engine.NOT_STARTED)).toList();
        assertThat(notStarted).as("at most two of six started within 2s").hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.ERROR));
        assertThat(r.out()).contains("not started before the deadline");
    }
}
