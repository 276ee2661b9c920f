package io.triaready.base.trace;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where a run's time goes, for performance work: with {@code TRIA_READY_TRACE=1} in the environment, a
 * handful of milestones (command line read, SSH connect, login, run done, ...) are noted with the thread
 * that reached them, and printed to stderr when the process ends, in milliseconds since {@code main},
 * with {@code main}'s wall-clock time to line them up with a packet capture. Off, a mark is one branch.
 * See docs/performance.md ("Profiling a run").
 */
public final class Trace {
    private static final boolean ON = System.getenv("TRIA_READY_TRACE") != null;
    private static final ConcurrentLinkedQueue<Mark> MARKS = new ConcurrentLinkedQueue<>();
    private static final long T0 = System.nanoTime();
    private static final long T0_EPOCH_MILLIS = System.currentTimeMillis();

    private record Mark(long nanos, String thread, String what) {}

    private Trace() {}

    /** Notes that this thread reached {@code what} now (when tracing is on). */
    public static void mark(String what) {
        if (!ON) return;
        MARKS.add(new Mark(System.nanoTime(), Thread.currentThread().getName(), what));
    }

    /** Prints the marks to stderr (when tracing is on). */
    public static void print() {
        if (!ON) return;
        // formatted only here: String.format's first use costs a cold JVM milliseconds
        System.err.printf("trace: main at %d.%03d (epoch seconds)%n", T0_EPOCH_MILLIS / 1000, T0_EPOCH_MILLIS % 1000);
        for (Mark m : MARKS) System.err.printf("trace: %8.1f ms  %-28s %s%n", (m.nanos - T0) / 1e6, m.thread, m.what);
    }
}
