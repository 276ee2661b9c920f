package io.triaready.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, exit 130) and SIGTERM (exit 143) during an audit: the JVM runs its shutdown hooks,
 * and this one holds the exit until the command has written the report of what exists, marked
 * interrupted.
 *
 * <p>Why from the very start: installed before picocli reads the command line, an interrupt at any
 * moment of a run has a report. One that comes before the engine started (while the command line, the
 * inventory or the playbook is read) lets the command go on loading, and the engine, cancelled before
 * it starts, reports every check "interrupted before it started". The exit code is the JVM's
 * (128 + the signal), whatever the command returns. Only the JVM's own start-up (before {@code main})
 * is left without a report.
 */
final class Interruption implements AutoCloseable {
    /** How long an interrupted audit may take to write its report before the JVM exits anyway. */
    static final long GRACE_SECONDS = 15;

    /** For commands that have nothing to report: no hook. */
    static final Interruption NONE = new Interruption(false);

    private final CountDownLatch reported = new CountDownLatch(1);
    private final List<Runnable> onInterrupt = new CopyOnWriteArrayList<>();
    private volatile boolean requested;
    private final Thread hook;

    private Interruption(boolean install) {
        if (!install) {
            hook = null;
            return;
        }
        hook = new Thread(this::interrupted, "tria-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Installs the shutdown hook; {@link #close} removes it. */
    static Interruption install() {
        return new Interruption(true);
    }

    /** Whether the JVM is stopping (a signal, or {@code System.exit} elsewhere): start nothing new that could wait. */
    boolean requested() { return requested; }

    /** Runs {@code action} when an interrupt comes, or at once when one already came. */
    void onInterrupt(Runnable action) {
        onInterrupt.add(action);
        if (requested && onInterrupt.remove(action)) action.run();
    }

    /** The report is written (or there is none to write): the JVM may exit. Idempotent. */
    void reported() { reported.countDown(); }

    private void interrupted() {
        requested = true;
        for (Runnable r : onInterrupt) {
            if (onInterrupt.remove(r)) r.run();
        }
        try {
            reported.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        reported();
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: the JVM exits with 128 + the signal once it returns
        }
    }
}
