package io.triaready.truth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.triaready.truth.TruthMatrix.FalseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truth matrix (issue 14): for every check type a real healthy target and a real broken one, each
 * case asserting its exact outcome, all in one run through the engine, in four modes: (a) alone, (b)
 * many at once ({@code -j 200}) against an sshd with {@code MaxSessions 2}, (c) next to slow neighbours
 * (a hung command, query and endpoint on the same host, database and server), (d) while every core is
 * kept busy. A false outcome is any case whose outcome differs from its expectation.
 *
 * <p>In {@code mvn verify} (the fast subset) modes (a)-(c) run once, (b) with two copies of the list.
 * {@code mvn -B verify -pl checks -Ptruth-matrix -Dtruth.repeat=5} (or {@code bench/truth-matrix.sh 5})
 * runs all four modes, (b) with five copies, repeated, and prints the table of false outcomes per mode,
 * also written to {@code checks/target/truth-matrix.txt} (docs/performance.md, "Truth matrix (issue 14)").
 * Mode (d) runs there only: its burner would slow every other build sharing the machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TruthMatrixTest {
    /** How many times each mode runs. */
    static final int REPEAT = Integer.getInteger("truth.repeat", 1);
    /** Mode (b): copies of the case list in one run (2 in verify: ~90 checks; the profile: 5, ~230). */
    static final int COPIES = Integer.getInteger("truth.copies", 2);
    /** The audit's default {@code -j}. */
    static final int DEFAULT_J = 32;

    @TempDir
    static Path dir;
    static TruthTargets targets;
    /** Per mode: runs, checks per run, false outcomes (all runs). */
    static final Map<String, Tally> TABLE = Collections.synchronizedMap(new LinkedHashMap<>());

    record Tally(int runs, int checksPerRun, List<FalseOutcome> falseOutcomes, long millis) {}

    @BeforeAll
    static void start() throws Exception {
        targets = TruthTargets.start(dir);
    }

    @AfterAll
    static void stop() {
        if (targets != null) targets.close();
        String table = table();
        System.out.println(table);
        try {
            java.nio.file.Files.writeString(Path.of("target", "truth-matrix.txt"), table);
        } catch (java.io.IOException e) {
            System.out.println("(not written to target/truth-matrix.txt: " + e.getMessage() + ")");
        }
    }

    /** Mode, runs, checks, false outcomes, and which cells were false how often. */
    static String table() {
        StringBuilder b = new StringBuilder("\nTruth matrix: false outcomes per mode (repeat " + REPEAT + ")\n");
        b.append(String.format("%-34s %5s %7s %15s %9s%n", "mode", "runs", "checks", "false outcomes", "s/run"));
        synchronized (TABLE) {
            for (Map.Entry<String, Tally> e : TABLE.entrySet()) {
                Tally t = e.getValue();
                b.append(String.format("%-34s %5d %7d %15d %9.1f%n", e.getKey(), t.runs(), t.checksPerRun(), t.falseOutcomes().size(),
                        t.millis() / 1000.0 / Math.max(1, t.runs())));
                Map<String, Integer> cells = new TreeMap<>();
                Map<String, String> example = new LinkedHashMap<>();
                for (FalseOutcome f : t.falseOutcomes()) {
                    String cell = f.cell() + " (" + f.type() + ")";
                    cells.merge(cell, 1, Integer::sum);
                    example.putIfAbsent(cell, f.why());
                }
                cells.forEach((cell, n) -> b.append(String.format("    %4dx %s: %s%n", n, cell, example.get(cell))));
            }
        }
        return b.toString();
    }

    private static void mode(String name, int repeat, ModeRun run) throws Exception {
        List<FalseOutcome> all = new ArrayList<>();
        int checks = 0;
        long start = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            ModeResult r = run.once(name);
            checks = r.checks();
            all.addAll(r.falseOutcomes());
        }
        TABLE.put(name, new Tally(repeat, checks, all, TruthMatrix.since(start).toMillis()));
        assertThat(all).as("false outcomes in mode " + name).isEmpty();
    }

    record ModeResult(int checks, List<FalseOutcome> falseOutcomes) {}

    interface ModeRun {
        ModeResult once(String mode) throws Exception;
    }

    private static ModeResult run(String mode, TruthTargets t, boolean tight, int copies, List<TruthCase> extra, int concurrency) {
        var sshd = tight ? t.tightSsh : t.ssh;
        List<TruthCase> cases = TruthMatrix.expand(t.cases(sshd), copies, extra);
        return new ModeResult(cases.size(), TruthMatrix.run(mode, t.target(sshd), cases, concurrency));
    }

    @Test
    @Order(1)
    void a_alone() throws Exception {
        mode("(a) alone, -j 32", REPEAT, m -> run(m, targets, false, 1, List.of(), DEFAULT_J));
    }

    @Test
    @Order(2)
    void b_manyAtOnceAgainstMaxSessions2() throws Exception {
        mode("(b) -j 200, sshd MaxSessions 2", REPEAT, m -> run(m, targets, true, COPIES, List.of(), 200));
    }

    @Test
    @Order(3)
    void c_slowNeighbours() throws Exception {
        mode("(c) hung command/query/endpoint", REPEAT, m -> run(m, targets, false, 1, targets.slowNeighbours(), DEFAULT_J));
    }

    @Test
    @Order(4)
    @EnabledIfSystemProperty(named = "truth.full", matches = "true", disabledReason = "mode (d) runs in -Ptruth-matrix (bench/truth-matrix.sh)")
    void d_everyCoreBusy() throws Exception {
        mode("(d) every core busy", REPEAT, m -> {
            try (CpuBurner burner = new CpuBurner(120)) {
                return run(m, targets, false, 1, List.of(), DEFAULT_J);
            }
        });
    }
}
