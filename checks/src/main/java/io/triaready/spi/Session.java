package io.triaready.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The clients of one run, shared by every check: one HTTP client, one SSH connection per host, one
 * JDBC connection per database, one Redis connection per endpoint. Each is created on first use
 * (so a run without SQL checks never loads a JDBC driver) and closed when the run ends.
 */
public final class Session implements AutoCloseable {
    /** Creates a client; may fail, and the failure is remembered for every check that asks again. */
    @FunctionalInterface
    public interface Factory<T> {
        T create() throws Exception;
    }

    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> warnings = Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private volatile int observationsPerHost = 1;
    private volatile boolean readOnly;
    private volatile boolean mayChangeTargets;
    private volatile SpeedTricks speedTricks = SpeedTricks.PROCESS;
    /** Open for a session that is not tentative; see {@link #tentative()}. */
    private final CountDownLatch goAhead;
    private volatile boolean abandoned;
    private volatile boolean closed;
    /** Held while closing: a second close waits for the first. */
    private final Object closing = new Object();

    public Session() { this(false); }

    private Session(boolean tentative) { goAhead = new CountDownLatch(tentative ? 1 : 0); }

    /**
     * A session opened before it is certain that the run will happen (an audit starts connecting while
     * its command line is still being read). Its transports may connect and exchange keys, but wait in
     * {@link #awaitGoAhead} before anything the user would notice: logging in, asking for a passphrase.
     * {@link #goAhead()} lets them on; closing the session first makes them give up.
     */
    public static Session tentative() { return new Session(true); }

    /** The run is certain: a {@link #tentative()} session's transports may log in. */
    public void goAhead() {
        synchronized (goAhead) {
            goAhead.countDown();
        }
    }

    /**
     * Returns at once for a session that is not tentative; otherwise waits for {@link #goAhead()}.
     * False when the session was closed first, or nothing came within {@code nanos}.
     */
    public boolean awaitGoAhead(long nanos) throws InterruptedException {
        return goAhead.await(nanos, TimeUnit.NANOSECONDS) && !abandoned;
    }

    /** A {@link #tentative()} session closed before its go-ahead. */
    public boolean abandoned() { return abandoned; }

    /**
     * How many observations the run expects to make on one host at once (its concurrency spread over
     * its hosts): a transport may open that many channels ahead of need, and no more.
     */
    public void expectObservationsPerHost(int n) { observationsPerHost = Math.max(1, n); }

    public int observationsPerHost() { return observationsPerHost; }

    /**
     * The run only observes its targets (an audit): a transport may queue several of its commands on
     * one channel, and run a queued command again elsewhere when the one ahead of it hung. Never for a
     * fix, whose steps change the target.
     */
    public void markReadOnly() { readOnly = true; }

    /**
     * Some check of the run may change its target (an audit with {@code --destructive}): the run is not
     * read-only, whatever {@link #markReadOnly} said before or says after.
     */
    public void markMayChangeTargets() { mayChangeTargets = true; }

    public boolean readOnly() { return readOnly && !mayChangeTargets; }

    /**
     * Whether the run's transports may use their speed tricks ({@link SpeedTricks}): the process's
     * {@value SpeedTricks#ENV} unless set here, before the first connection ({@code --no-speed-tricks}).
     */
    public void useSpeedTricks(SpeedTricks tricks) { speedTricks = java.util.Objects.requireNonNull(tricks); }

    public SpeedTricks speedTricks() { return speedTricks; }

    /**
     * The client under {@code key}, created by {@code factory} once. Concurrent callers of the same
     * key wait for the one creation instead of opening a connection each. A failed creation is
     * cached too: twenty checks against a dead database give twenty ERRORs for the price of one timeout.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Factory<T> factory) throws ProbeException {
        Object existing = clients.get(key);
        if (existing == null) {
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                existing = clients.get(key);
                if (existing == null) {
                    try {
                        // a closed session opens nothing more (a tentative one called off, a run interrupted)
                        if (closed) throw new ProbeException(RUN_OVER);
                        T created = factory.create();
                        existing = created;
                        if (created instanceof AutoCloseable c) {
                            closeables.add(c);
                            if (closed) { // closed while it was being made: close it unless close() took it
                                if (closeables.remove(c)) closeQuietly(c);
                                throw new ProbeException(RUN_OVER);
                            }
                        }
                    } catch (ProbeException e) {
                        existing = new Failure(e.getMessage(), e);
                    } catch (Exception e) {
                        existing = new Failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
                    }
                    clients.put(key, existing);
                }
            }
        }
        if (existing instanceof Failure f) throw new ProbeException(f.message(), f.cause());
        return (T) existing;
    }

    private record Failure(String message, Throwable cause) {}

    /**
     * A line for whoever runs the audit about the run as a whole (an endpoint's role can do more than
     * read, say), shown once however many checks give it: the CLI prints each on stderr.
     */
    public void warn(String line) { warnings.add(line); }

    /** The run's warnings, in the order first given. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private static final String RUN_OVER = "the run is over: not connecting";

    /**
     * Starts {@link #close()} on a thread of its own: the run's results are in, and taking leave of its
     * servers (a round trip each, for an SSH connection) can overlap writing the report. A later
     * {@code close()} waits for it to finish.
     */
    public void closeInBackground() {
        Thread t = new Thread(this::close, "tria-session-close");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every client, newest first; errors on close are ignored (the run is over). Waits for a close in progress. */
    @Override
    public void close() {
        closed = true;
        synchronized (goAhead) {
            if (goAhead.getCount() > 0) {
                abandoned = true;
                goAhead.countDown();
            }
        }
        synchronized (closing) {
            closeAll();
        }
    }

    private void closeAll() {
        List<AutoCloseable> copy;
        synchronized (closeables) {
            copy = new ArrayList<>(closeables);
            closeables.clear();
        }
        Collections.reverse(copy);
        for (AutoCloseable c : copy) closeQuietly(c);
        clients.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the run is over; a failing close must not hide its results
        }
    }
}
