package io.triaready.transport.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.Deadline;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * A small pool of connections to one endpoint, shared by the checks of a run: an idle connection is
 * reused, a new one is opened while fewer than {@code max} are open, and otherwise the check waits for
 * one to come free. A slow check holds one connection, never the others' turn.
 *
 * <p>The wait is not the target's time: it is reported to {@link ProbeContext#queued} as it goes (in
 * slices, so the engine's deadline moves while the check waits) and is bounded by
 * {@link ProbeContext#queueDeadline()}, past which the check is an ERROR that says all connections were
 * busy. Opening a connection is the target's time (its login) and is bounded by the check's deadline.
 */
public final class BoundedPool<C> implements AutoCloseable {
    /** Opens one connection within {@code timeout}. */
    @FunctionalInterface
    public interface Opener<C> {
        C open(Duration timeout) throws ProbeException;
    }

    /** A connection taken from the pool; {@code reused} when it had served a check before (so the server may have closed it). */
    public record Lease<C>(C connection, boolean reused) {}

    /** Slices in which a wait is reported, so a moving deadline keeps up with it. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int max;
    private final String what;
    private final Consumer<C> closer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Most recently used first: the one least likely to have been closed by an idle timeout. */
    private final Deque<C> idle = new ArrayDeque<>();
    private final List<C> leased = new ArrayList<>();
    /** Idle, leased, and being opened. */
    private int open;
    private boolean closed;

    /** {@code what} names the endpoint in messages ("postgres db:5432/app as audit"); {@code closer} closes quietly. */
    public BoundedPool(int max, String what, Consumer<C> closer) {
        if (max < 1) throw new IllegalArgumentException("max " + max);
        this.max = max;
        this.what = what;
        this.closer = closer;
    }

    public int max() { return max; }

    /** Adds a connection opened outside the pool (the first one, opened to fail fast) as idle. */
    public void adopt(C connection) {
        lock.lock();
        try {
            if (closed) {
                closer.accept(connection);
                return;
            }
            open++;
            idle.push(connection);
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** An idle connection, a new one, or the first to come free before {@code ctx}'s queue deadline. */
    public Lease<C> acquire(ProbeContext ctx, Opener<C> opener) throws ProbeException { return acquire(ctx.deadline(), opener); }

    /**
     * An idle connection, a new one, or the first to come free before {@code ctx.queueDeadline()}; the
     * waits are reported to it ({@link Deadline#queued}), and a new connection gets what it has left.
     */
    public Lease<C> acquire(Deadline ctx, Opener<C> opener) throws ProbeException {
        long waitStart = System.nanoTime();
        lock.lock();
        try {
            while (true) {
                if (closed) throw new ProbeException("the run is over: not connecting");
                C c = idle.poll();
                if (c != null) {
                    leased.add(c);
                    return new Lease<>(c, true);
                }
                if (open < max) {
                    open++;
                    break;
                }
                long left = Duration.between(Instant.now(), ctx.queueDeadline()).toNanos();
                if (left <= 0) {
                    throw new ProbeException("no connection to " + what + " came free within "
                            + Durations.format(Duration.ofNanos(System.nanoTime() - waitStart)) + ": all " + max
                            + " are busy with other checks");
                }
                long t0 = System.nanoTime();
                try {
                    freed.awaitNanos(Math.min(left, SLICE_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProbeException("interrupted while waiting for a connection to " + what);
                } finally {
                    ctx.queued(Duration.ofNanos(System.nanoTime() - t0));
                }
            }
        } finally {
            lock.unlock();
        }
        C c;
        try {
            c = opener.open(ctx.remaining());
        } catch (ProbeException | RuntimeException e) {
            forget();
            throw e;
        }
        lock.lock();
        try {
            if (closed) {
                open--;
                closer.accept(c);
                throw new ProbeException("the run is over: not connecting");
            }
            leased.add(c);
            return new Lease<>(c, false);
        } finally {
            lock.unlock();
        }
    }

    /** Gives a connection back: {@code healthy} ones wait for the next check, the others are closed. */
    public void release(C connection, boolean healthy) {
        boolean close = false;
        lock.lock();
        try {
            if (!leased.remove(connection)) return; // closed with the pool already
            if (healthy && !closed) {
                idle.push(connection);
            } else {
                open--;
                close = true;
            }
            freed.signal();
        } finally {
            lock.unlock();
        }
        if (close) closer.accept(connection); // outside the lock: closing may take a round trip
    }

    /**
     * Closes the idle connections: one turned out closed by the server, and whatever closed it (a
     * restart, an idle timeout) most likely closed the others too.
     */
    public void dropIdle() {
        List<C> dropped;
        lock.lock();
        try {
            dropped = new ArrayList<>(idle);
            open -= dropped.size();
            idle.clear();
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        for (C c : dropped) closer.accept(c);
    }

    /** The connections in use now (for a run that ends while checks still run: their work is cancelled). */
    public List<C> leased() {
        lock.lock();
        try {
            return List.copyOf(leased);
        } finally {
            lock.unlock();
        }
    }

    private void forget() {
        lock.lock();
        try {
            open--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle connections and every connection still leased; nothing is opened afterwards. */
    @Override
    public void close() {
        List<C> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(idle);
            all.addAll(leased);
            idle.clear();
            leased.clear();
            open = 0;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        for (C c : all) closer.accept(c);
    }
}
