package io.triaready.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-20T14:02:00Z");

    @Test
    void recordsListsAndLoadsBackTheFullResult() throws Exception {
        FileStore store = new FileStore(dir.resolve("state/tria-ready"));
        assertThat(store.entries(null, null, 0)).as("a store never written is empty, not an error").isEmpty();
        RunResult first = Fixtures.result("aibpo", "prod", T0, "p0-db", Outcome.FAIL, "metrics", Outcome.PASS);
        RunResult second = Fixtures.result("aibpo", "prod", T0.plusSeconds(3600), "p0-db", Outcome.PASS, "metrics", Outcome.PASS);
        RunResult other = Fixtures.interrupted("baseline", "staging", T0.plusSeconds(7200), "disk", Outcome.ERROR);
        HistoryEntry e1 = Fixtures.save(store, first);
        HistoryEntry e2 = Fixtures.save(store, second);
        HistoryEntry e3 = Fixtures.save(store, other);

        assertThat(e1.id()).matches("20261120-140200-[0-9a-f]{4}");
        assertThat(store.entries(null, null, 0)).containsExactly(e1, e2, e3);
        assertThat(store.entries("aibpo", "prod", 0)).containsExactly(e1, e2);
        assertThat(store.entries(null, null, 2)).as("limit keeps the most recent").containsExactly(e2, e3);
        assertThat(store.entries(null, "staging", 0)).containsExactly(e3);
        assertThat(e3.interrupted()).isTrue();
        assertThat(e3.score()).isEqualTo(0.0);
        assertThat(e1.score()).isEqualTo(first.score().value());
        assertThat(e1.verdict()).isEqualTo(first.verdict());

        assertThat(Fixtures.json(store.load(e1.id()))).isEqualTo(Fixtures.json(first));
        assertThat(store.resolve(e2.id())).isEqualTo(e2);
        assertThat(store.resolve(e3.id().substring(0, 11))).as("an unambiguous prefix").isEqualTo(e3);
        assertThatThrownBy(() -> store.resolve("2026112")).hasMessageContaining("matches 3 runs").hasMessageContaining("give more of the id");
        assertThatThrownBy(() -> store.resolve("20250101")).hasMessageContaining("no run '20250101' in history");
        assertThatThrownBy(() -> store.load("../../etc/passwd")).hasMessageContaining("is not a history id");
    }

    @Test
    void aTornIndexLineIsSkippedAndTheNextRecordStartsOnAFreshLine() throws Exception {
        FileStore store = new FileStore(dir);
        HistoryEntry e1 = Fixtures.save(store, Fixtures.result("pb", "t", T0, "a", Outcome.PASS));
        // a crash in the middle of an append: half a line, no newline
        Files.writeString(dir.resolve(FileStore.INDEX), "{\"id\":\"20261120-150000-ab", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(store.entries(null, null, 0)).containsExactly(e1);
        HistoryEntry e2 = Fixtures.save(store, Fixtures.result("pb", "t", T0.plusSeconds(60), "a", Outcome.FAIL));
        assertThat(store.entries(null, null, 0)).containsExactly(e1, e2);
        assertThat(Files.readAllLines(dir.resolve(FileStore.INDEX))).hasSize(3);
        // garbage and blank lines are skipped too
        Files.writeString(dir.resolve(FileStore.INDEX), "\nnot json\n{\"id\":\"x\"}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(store.entries(null, null, 0)).containsExactly(e1, e2);
    }

    @Test
    void aResultWrittenWithoutItsIndexLineIsNeverListedAndTempFilesAreIgnored() throws Exception {
        FileStore store = new FileStore(dir);
        HistoryEntry e1 = Fixtures.save(store, Fixtures.result("pb", "t", T0, "a", Outcome.PASS));
        // a crash between the rename and the append leaves an orphan; one before the rename, a temp file
        Files.writeString(dir.resolve("results/20261120-160000-0000.json"), Fixtures.json(Fixtures.result("pb", "t", T0, "a", Outcome.FAIL)));
        Files.writeString(dir.resolve("results/.20261120-170000-0000.json.123.tmp"), "{\"sche");
        assertThat(store.entries(null, null, 0)).containsExactly(e1);
        assertThat(store.load(e1.id()).checks()).hasSize(1);
        try (var files = Files.list(dir.resolve("results"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count()).as("only the one planted").isEqualTo(1);
        }
    }

    @Test
    void concurrentWritersInOneProcessLoseNothing() throws Exception {
        FileStore a = new FileStore(dir);
        FileStore b = new FileStore(dir); // two store objects on one directory, as two commands in one JVM would have
        int threads = 8;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<HistoryEntry>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                FileStore store = t % 2 == 0 ? a : b;
                String target = "t" + t;
                futures.add(pool.submit(() -> {
                    List<HistoryEntry> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) mine.add(Fixtures.save(store, Fixtures.result("pb", target, T0, "c", Outcome.PASS)));
                    return mine;
                }));
            }
            Set<HistoryEntry> saved = new HashSet<>();
            for (Future<List<HistoryEntry>> f : futures) saved.addAll(f.get(60, TimeUnit.SECONDS));
            assertThat(saved).hasSize(threads * perThread);
            assertEverythingListedAndLoadable(a, threads * perThread);
            assertThat(new HashSet<>(a.entries(null, null, 0))).isEqualTo(saved);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoProcessesWritingAtOnceLoseNothing() throws Exception {
        int perThread = 10;
        int threads = 3;
        List<Process> processes = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            for (String name : new String[] {"jvm1", "jvm2"}) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FileStoreWriter.class.getName(),
                        dir.toString(), name, Integer.toString(perThread), Integer.toString(threads)).redirectErrorStream(true).start());
            }
            Thread.sleep(300); // let both JVMs start and wait for the signal
            Files.writeString(dir.resolve("go"), "");
            for (Process p : processes) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("writer finished").isTrue();
                assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        FileStore store = new FileStore(dir);
        assertEverythingListedAndLoadable(store, 2 * threads * perThread);
        for (String name : new String[] {"jvm1", "jvm2"}) {
            for (int t = 0; t < threads; t++) assertThat(store.entries("pb", name + "-t" + t, 0)).hasSize(perThread);
        }
    }

    private static void assertEverythingListedAndLoadable(FileStore store, int expected) throws Exception {
        List<HistoryEntry> all = store.entries(null, null, 0);
        assertThat(all).hasSize(expected);
        assertThat(all.stream().map(HistoryEntry::id).distinct().count()).as("unique ids").isEqualTo(expected);
        for (HistoryEntry e : all) assertThat(store.load(e.id()).target()).isEqualTo(e.target());
        assertThat(Files.readAllLines(store.dir().resolve(FileStore.INDEX))).as("one whole line per run").hasSize(expected);
    }
}
