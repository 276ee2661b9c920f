package io.triaready.core.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.HostTransport;
import io.triaready.base.secret.Secrets;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;

/**
 * The engine's {@link ProbeContext} for one attempt of one check on one host (or the target).
 *
 * <p>Its deadline moves: time a transport reports as spent waiting for a slot ({@link #queued}) is
 * not the target's, so the deadline moves out by as much, never past the run's deadline. The wait
 * itself is bounded by {@link #queueDeadline()}: {@link #queueLimit} after the observation started.
 */
final class RunContext implements ProbeContext {
    /** How long an observation may wait for slots in all: three timeouts, at least 30 s (docs/decisions.md). */
    static Duration queueLimit(Duration timeout) {
        Duration three = timeout.multipliedBy(3);
        return three.compareTo(MIN_QUEUE_LIMIT) < 0 ? MIN_QUEUE_LIMIT : three;
    }

    private static final Duration MIN_QUEUE_LIMIT = Duration.ofSeconds(30);

    private final Duration timeout;
    private final Instant started;
    /** The run's deadline, or null. */
    private final Instant runDeadline;
    private final Instant queueLimitAt;
    private final AtomicLong queuedNanos = new AtomicLong();
    /** Waits opened with {@link #awaitingSlot()} and not yet closed. */
    private final AtomicInteger openWaits = new AtomicInteger();
    private final HostSpec host;
    private final Target target;
    private final Session session;
    private final Secrets secrets;
    private final HostConnectors connectors;
    private final String checkId;

    RunContext(String checkId, Duration timeout, Instant runDeadline, HostSpec host, Target target, Session session, Secrets secrets,
               HostConnectors connectors) {
        this.checkId = checkId;
        this.timeout = timeout;
        this.started = Instant.now();
        this.runDeadline = runDeadline;
        this.queueLimitAt = capped(started.plus(queueLimit(timeout)));
        this.host = host;
        this.target = target;
        this.session = session;
        this.secrets = secrets;
        this.connectors = connectors;
    }

    private Instant capped(Instant t) {
        return runDeadline != null && t.isAfter(runDeadline) ? runDeadline : t;
    }

    @Override
    public Duration timeout() { return timeout; }

    /** Start + timeout + the time reported queued: the check's own deadline, before the run's caps it. */
    private Instant ownDeadline() { return started.plus(timeout).plusNanos(queuedNanos.get()); }

    /** {@link #ownDeadline()}, capped by the run's deadline. */
    @Override
    public Instant deadline() { return capped(ownDeadline()); }

    @Override
    public Instant queueDeadline() {
        Instant d = deadline();
        return queueLimitAt.isAfter(d) ? queueLimitAt : d;
    }

    @Override
    public void queued(Duration waited) {
        if (waited != null && !waited.isNegative()) queuedNanos.addAndGet(waited.toNanos());
    }

    @Override
    public SlotWait awaitingSlot() {
        openWaits.incrementAndGet();
        SlotWait report = ProbeContext.super.awaitingSlot();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (!open.getAndSet(false)) return;
            report.close();
            openWaits.decrementAndGet();
        };
    }

    /**
     * True when the run's deadline, rather than the check's own timeout (or, while a slot is awaited,
     * the queue limit), is what bounds this observation now.
     */
    boolean boundByRunDeadline() {
        if (runDeadline == null) return false;
        Instant own = ownDeadline();
        // the queue limit as computed, uncapped: capped, it would equal the run's deadline and always "bind"
        Instant queue = started.plus(queueLimit(timeout));
        if (awaitingSlotNow() && queue.isAfter(own)) own = queue;
        return !own.isBefore(runDeadline);
    }

    /** When the observation started (its permit in hand). */
    Instant started() { return started; }

    /** Time reported as spent waiting for slots so far. */
    Duration queued() { return Duration.ofNanos(queuedNanos.get()); }

    /** True while a transport waits for a slot it announced with {@link #awaitingSlot()}. */
    boolean awaitingSlotNow() { return openWaits.get() > 0; }

    /**
     * Until when the engine lets the probe run before it stops it itself: the (moving) deadline, or
     * while the probe waits for a slot, the queue deadline; a little grace on top for the probe to
     * notice its own deadline first and say why.
     */
    Instant guardDeadline(Duration grace) {
        return (awaitingSlotNow() ? queueDeadline() : deadline()).plus(grace);
    }

    @Override
    public HostTransport host() throws ProbeException {
        return connect(host == null ? HostSpec.LOCAL : host);
    }

    private HostTransport connect(HostSpec spec) throws ProbeException {
        try {
            // no secret on a command line: commands get them through stdin and their environment
            return io.triaready.transport.local.SecretSafeHost.of(connectors.connect(spec, session, remaining()), secrets);
        } catch (ProbeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while connecting to " + spec.name());
        } catch (Exception e) {
            throw new ProbeException(spec.name() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    @Override
    public String checkId() { return checkId; }

    @Override
    public Target target() { return target; }

    @Override
    public Session session() { return session; }

    @Override
    public Secrets secrets() { return secrets; }

    /** {@code tunnel: ssh} forwards through the target's first SSH host; the forward is opened once per run. */
    @Override
    public InetSocketAddress reach(String remoteHost, int remotePort, String tunnel) throws ProbeException {
        return io.triaready.transport.tunnel.Tunnels.reach(target, connectors, session, remoteHost, remotePort, tunnel, remaining());
    }
}
