package io.triaready.truth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every core busy: two busy shell loops per core, each ended by {@code timeout} after at most
 * {@code maxSeconds} even if the test dies, and stopped by {@link #close()}.
 */
final class CpuBurner implements AutoCloseable {
    private final List<Process> loops = new ArrayList<>();

    CpuBurner(int maxSeconds) throws Exception {
        int n = 2 * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < n; i++) {
            loops.add(new ProcessBuilder("timeout", String.valueOf(maxSeconds), "sh", "-c", "while :; do :; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        Thread.sleep(300); // let the load build up before the run starts
    }

    @Override
    public void close() throws Exception {
        for (Process p : loops) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : loops) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
