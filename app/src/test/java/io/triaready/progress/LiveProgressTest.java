package io.triaready.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.Target;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

class LiveProgressTest {
    private static final String UP = "\u001b[A";
    private static final String CLEAR_TO_END = "\u001b[J";

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    /** jline's virtual terminal: xterm capabilities, output written synchronously into {@link #screen} (\n becomes \r\n). */
    private Terminal terminal(int width) throws Exception {
        Terminal t = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(new byte[0]), screen, StandardCharsets.UTF_8);
        t.setSize(new Size(width, 24));
        return t;
    }

    private String screen() { return screen.toString(StandardCharsets.UTF_8); }

    private static List<CheckDef> checks(String... ids) {
        StringBuilder yaml = new StringBuilder("playbook: p\ntitle: P\nchecks:\n");
        for (String id : ids) yaml.append("  - {id: ").append(id).append(", phase: p1, command: 'true'}\n");
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).loadBundled("p", new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)),
                PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
        return pb.checks();
    }

    private static CheckResult result(CheckDef c, Outcome o, String message) {
        return new CheckResult(c.id(), c.title(), Phase.P1, null, 1, List.of(), null, "command", "x", o, message, null,
                List.of(new HostResult("-", o, message, List.of(message), Map.of(), List.of(), 1, 1)), 1);
    }

    @Test
    void showsDoneOfTotalRunningChecksAndFailuresThenErasesItself() throws Exception {
        List<CheckDef> c = checks("db-up", "metrics", "cache-hit-rate");
        LiveProgress p = new LiveProgress(terminal(120), false, 0);
        p.planned(3);
        p.started(c.get(0));
        p.started(c.get(1));
        p.started(c.get(2));
        p.finished(result(c.get(1), Outcome.FAIL, "status: expected 200, got 404"));
        p.draw();
        p.draw();
        String drawn = screen();
        assertThat(drawn).contains("1/3 checks · 1 not passing · 2 running")
                .contains("✗ metrics  status: expected 200, got 404")
                .containsPattern("running: db-up \\d+\\.\\ds, cache-hit-rate \\d+\\.\\ds");
        // each redraw first moves back over what it drew, then clears to the end of the screen
        int lastDraw = drawn.lastIndexOf("1/3 checks");
        assertThat(drawn.substring(0, lastDraw)).endsWith("\n\r" + UP.repeat(3) + CLEAR_TO_END);

        p.finished(result(c.get(0), Outcome.ERROR, "connection refused"));
        p.finished(result(c.get(2), Outcome.PASS, "ok"));
        p.draw();
        assertThat(screen()).contains("3/3 checks · 2 not passing").contains("! db-up  connection refused");
        int before = screen().length();
        p.close();
        String erase = screen().substring(before);
        assertThat(erase).as("close erases the three lines (header and two failures)").isEqualTo("\r" + UP.repeat(3) + CLEAR_TO_END);
        p.draw();
        p.finished(result(c.get(2), Outcome.FAIL, "late"));
        assertThat(screen().length()).as("nothing after close").isEqualTo(before + erase.length());
    }

    @Test
    void linesNeverWrapAndOnlyTheLatestFailuresAreKept() throws Exception {
        List<CheckDef> c = checks("a", "b", "c", "d", "e");
        LiveProgress p = new LiveProgress(terminal(30), false, 0);
        p.planned(5);
        for (CheckDef d : c) p.finished(result(d, Outcome.FAIL, "a long explanation of what went wrong with this check"));
        p.draw();
        List<String> lines = new ArrayList<>();
        String last = screen().substring(screen().lastIndexOf(CLEAR_TO_END) + CLEAR_TO_END.length());
        last.lines().forEach(lines::add);
        assertThat(lines).hasSize(1 + LiveProgress.MAX_FAILURES);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(30));
        assertThat(lines.get(1)).startsWith("  ✗ c ");
        assertThat(lines.get(3)).startsWith("  ✗ e ");
    }

    @Test
    void isThreadSafeUnderConcurrentCallbacks() throws Exception {
        List<CheckDef> c = checks("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
        LiveProgress p = new LiveProgress(terminal(100), false, 1);
        p.planned(c.size() * 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (CheckDef d : c) {
                pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50; i++) {
                        p.started(d);
                        p.finished(result(d, i % 10 == 0 ? Outcome.FAIL : Outcome.PASS, "boom"));
                    }
                    return null;
                });
            }
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        p.draw();
        String s = screen();
        assertThat(s.substring(s.lastIndexOf(CLEAR_TO_END))).contains("400/400 checks · 40 not passing").doesNotContain("running");
        p.close();
    }

    @Test
    void onlyForPeopleWatchingATextReportOnATerminal() {
        assertThat(LiveProgress.wanted(true, null, false, null)).isTrue();
        assertThat(LiveProgress.wanted(true, "", false, "text")).isTrue();
        assertThat(LiveProgress.wanted(true, "false", false, null)).isTrue();
        assertThat(LiveProgress.wanted(false, null, false, null)).as("stdout is not a terminal").isFalse();
        assertThat(LiveProgress.wanted(true, "true", false, null)).as("CI=true").isFalse();
        assertThat(LiveProgress.wanted(true, "1", false, null)).as("CI=1").isFalse();
        assertThat(LiveProgress.wanted(true, null, true, null)).as("--quiet").isFalse();
        assertThat(LiveProgress.wanted(true, null, false, "json")).as("--format json").isFalse();
    }
}
