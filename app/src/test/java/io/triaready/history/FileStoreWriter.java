package io.triaready.history;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.triaready.core.result.Outcome;

/** A separate process that records runs into a file store, for the two-JVM concurrency test. */
public final class FileStoreWriter {
    private FileStoreWriter() {}

    /** args: DIR NAME RUNS_PER_THREAD THREADS */
    public static void main(String[] args) throws Exception {
        FileStore store = new FileStore(Path.of(args[0]));
        String name = args[1];
        int runs = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        // all writers start together, so the lock is really contended
        Path go = Path.of(args[0]).resolve("go");
        long until = System.currentTimeMillis() + 20_000;
        while (!java.nio.file.Files.exists(go) && System.currentTimeMillis() < until) Thread.sleep(5);
        List<Thread> all = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            String target = name + "-t" + t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < runs; i++) {
                        // the same start second for every run: ids clash on the time part and must still be unique
                        Fixtures.save(store, Fixtures.result("pb", target, Instant.parse("2026-11-21T10:00:00Z"), "c" + i, Outcome.PASS));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) th.join();
        if (!errors.isEmpty()) {
            errors.get(0).printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
