package io.triaready.spi;

import java.time.Duration;
import java.time.Instant;

import io.triaready.base.secret.Secrets;

/** What a probe gets for one observation. */
public interface ProbeContext {
    /** The check's timeout: the probe should give up (and throw) by then; the engine enforces it too. */
    Duration timeout();

    /** {@code now + timeout}, capped by the run's deadline. */
    Instant deadline();

    /**
     * The latest moment a probe may wait for a slot on a shared resource (an SSH channel or lane, a
     * pooled database connection, a turn on a shared Redis connection) before it gives up with an ERROR
     * that says plainly it could not get one. Waiting is not the target's time: see {@link #queued}.
     * It is never before {@link #deadline()} and never after the run's deadline. In a run, the engine
     * allows max(3 × the check's timeout, 30 s) from the observation's start (docs/decisions.md).
     */
    default Instant queueDeadline() { return deadline(); }

    /**
     * The probe waited {@code waited} for a slot (lane, channel, pooled connection) before its request
     * went on the wire. That time is the run's, not the target's: the engine moves this observation's
     * {@link #deadline()} out by as much (never past the run's deadline) and reports it apart as
     * {@code queued_ms}, outside the check's duration. May be called more than once; the waits add up.
     */
    default void queued(Duration waited) {}

    /**
     * Brackets a wait for a slot, for a transport that may wait longer than {@link #deadline()} allows:
     * <pre>
     * try (ProbeContext.SlotWait w = ctx.awaitingSlot()) { slot = lanes.take(ctx.queueDeadline()); }
     * </pre>
     * While it is open the engine's own guard (which stops a probe that overstays its deadline) waits
     * for {@link #queueDeadline()} instead; closing it reports the wait through {@link #queued}. A
     * transport whose waits are short may call {@link #queued} alone.
     */
    default SlotWait awaitingSlot() {
        long since = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) queued(Duration.ofNanos(System.nanoTime() - since));
        };
    }

    /** An open wait for a slot (see {@link #awaitingSlot()}); closing it twice reports it once. */
    @FunctionalInterface
    interface SlotWait extends AutoCloseable {
        @Override
        void close();
    }

    /** Time left until {@link #deadline()}, never negative. */
    default Duration remaining() {
        Duration d = Duration.between(Instant.now(), deadline());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The host a {@link Scope#HOST} probe runs on. For {@link Scope#TARGET} probes: the local machine. */
    HostTransport host() throws ProbeException;

    Target target();

    /** Clients shared by every check of the run (one per endpoint), created on first use. */
    Session session();

    Secrets secrets();

    /** The id of the check being observed ("" outside a run). */
    default String checkId() { return ""; }

    /**
     * Where to connect to reach {@code host:port} of an endpoint. With {@code tunnel} null that is the
     * address itself; with {@code tunnel: ssh} it is a local port forwarded through the target's SSH
     * connection (its first host), opened once per run and shared.
     */
    default java.net.InetSocketAddress reach(String host, int port, String tunnel) throws ProbeException {
        if (tunnel == null || tunnel.isBlank() || tunnel.equals("none")) return java.net.InetSocketAddress.createUnresolved(host, port);
        throw new ProbeException("tunnel '" + tunnel + "' is not available here");
    }
}
