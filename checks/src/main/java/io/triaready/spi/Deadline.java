package io.triaready.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long something may take, from the YAML {@code timeout:} to the wire: the one type that carries a
 * check's (or a fix step's, or a lock's) time. Three forms:
 * <ul>
 * <li>a check's ({@link #forCheck}): its own timeout from when the observation started; time reported
 *     as spent waiting for a slot ({@link #queued}) moves its {@link #end()} out by as much, never past
 *     the run's deadline; the wait itself is bounded by {@link #queueDeadline()}, {@link #queueLimit}
 *     after the start;</li>
 * <li>a plain one ({@link #of}): waiting eats the same budget; whatever happens, it ends by
 *     {@code timeout} from when it was made (fix steps, the host lock, callers with a plain timeout);</li>
 * <li>a share of another: {@link #narrowedTo} (a check type's own {@code timeout} key, with the
 *     {@link #label()} to show), {@link #atMost}, and {@link #forCommand} (one command, which waits for
 *     a slot first).</li>
 * </ul>
 * A transport whose API takes a {@link Duration} (OkHttp, JDBC, a socket timeout) converts at the edge
 * with {@link #remaining()}.
 */
public final class Deadline {
    /** Never zero: most clients read a zero timeout as "wait forever". */
    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MIN_QUEUE_LIMIT = Duration.ofSeconds(30);

    private final Duration timeout;
    private final Duration label;
    private final Instant started;
    /** The run's deadline, or null. */
    private final Instant cap;
    /** How long waits for slots may last from the start; null for a plain deadline (waiting eats its time). */
    private final Duration queueLimit;
    /** For a command's share ({@link #forCommand}): the deadline it reports to, and its open wait. */
    private final Deadline parent;
    private final SlotWait slot;
    private final AtomicBoolean slotOpen = new AtomicBoolean(true);
    private final AtomicLong queuedNanos = new AtomicLong();
    /** Waits opened with {@link #awaitingSlot()} and not yet closed. */
    private final AtomicInteger openWaits = new AtomicInteger();

    private Deadline(Duration timeout, Duration label, Instant cap, Duration queueLimit, Deadline parent) {
        this.timeout = timeout;
        this.label = label;
        this.started = Instant.now();
        this.cap = cap;
        this.queueLimit = queueLimit;
        this.parent = parent;
        this.slot = parent == null ? null : parent.awaitingSlot();
    }

    /** A plain deadline: {@code timeout} from now; waiting for a slot eats the same budget. */
    public static Deadline of(Duration timeout) {
        return new Deadline(timeout, timeout, null, null, null);
    }

    /** A check's deadline from now: {@code timeout} of its own, waits allowed up to {@link #queueLimit}, capped by {@code runDeadline} (or null). */
    public static Deadline forCheck(Duration timeout, Instant runDeadline) {
        return forCheck(timeout, queueLimit(timeout), runDeadline);
    }

    /** A check's deadline with the waits for slots allowed {@code queueLimit} from now in all. */
    public static Deadline forCheck(Duration timeout, Duration queueLimit, Instant runDeadline) {
        return new Deadline(timeout, timeout, runDeadline, queueLimit, null);
    }

    /** How long an observation may wait for slots in all: three timeouts, at least 30 s (docs/decisions.md). */
    public static Duration queueLimit(Duration timeout) {
        Duration three = timeout.multipliedBy(3);
        return three.compareTo(MIN_QUEUE_LIMIT) < 0 ? MIN_QUEUE_LIMIT : three;
    }

    /** The time this deadline allowed when it was made: for a check, its {@code timeout:}. */
    public Duration timeout() { return timeout; }

    /**
     * The figure to show in "no response within 2.0s": for a {@link #narrowedTo narrowed} deadline the
     * configured timeout rather than what was left when it was made, unless the run's deadline cut it
     * short; else {@link #timeout()}.
     */
    public Duration label() { return label; }

    /** When it started. */
    public Instant started() { return started; }

    /** The moment it ends: start + timeout (+ the time reported queued, for a check), capped by the run's deadline. */
    public Instant end() {
        if (parent != null) return parent.end();
        Instant own = ownEnd();
        return cap != null && own.isAfter(cap) ? cap : own;
    }

    /** Start + timeout + the time reported queued: a check's own end, before the run's deadline caps it. */
    private Instant ownEnd() {
        Instant t = started.plus(timeout);
        return queueLimit == null ? t : t.plusNanos(queuedNanos.get());
    }

    /** Time left until {@link #end()}, never negative: the one conversion to a {@link Duration} for a client's API. */
    public Duration remaining() {
        Duration d = Duration.between(Instant.now(), end());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * The latest moment to wait for a slot on a shared resource (an SSH channel or lane, a pooled
     * connection) before giving up with an ERROR that says plainly it could not get one. Never before
     * {@link #end()}, never after the run's deadline; a plain deadline's is its end.
     */
    public Instant queueDeadline() {
        if (parent != null) return parent.queueDeadline();
        Instant end = end();
        if (queueLimit == null) return end;
        Instant q = started.plus(queueLimit);
        if (cap != null && q.isAfter(cap)) q = cap;
        return q.isAfter(end) ? q : end;
    }

    /**
     * Time spent waiting for a slot before the request went on the wire: the run's, not the target's.
     * A check's end moves out by as much (never past the run's deadline); it is reported apart as
     * {@code queued_ms}. May be called more than once; the waits add up. A plain deadline does not move.
     */
    public void queued(Duration waited) {
        if (parent != null) {
            parent.queued(waited);
        } else if (waited != null && !waited.isNegative()) {
            queuedNanos.addAndGet(waited.toNanos());
        }
    }

    /** Time reported as spent waiting for slots so far. */
    public Duration queued() { return parent != null ? parent.queued() : Duration.ofNanos(queuedNanos.get()); }

    /**
     * Brackets a wait for a slot, for a transport that may wait longer than {@link #end()} allows:
     * <pre>
     * try (Deadline.SlotWait w = deadline.awaitingSlot()) { slot = lanes.take(deadline.queueDeadline()); }
     * </pre>
     * While it is open the engine's guard (which stops a probe that overstays its deadline) waits for
     * {@link #queueDeadline()} instead; closing it reports the wait through {@link #queued}. A transport
     * whose waits are short may call {@link #queued} alone.
     */
    public SlotWait awaitingSlot() {
        if (parent != null) return parent.awaitingSlot();
        openWaits.incrementAndGet();
        long since = System.nanoTime();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (!open.getAndSet(false)) return;
            queued(Duration.ofNanos(System.nanoTime() - since));
            openWaits.decrementAndGet();
        };
    }

    /** True while a wait announced with {@link #awaitingSlot()} is open. */
    public boolean awaitingSlotNow() { return parent != null ? parent.awaitingSlotNow() : openWaits.get() > 0; }

    /**
     * One command's share: its {@link #timeout()} is what is left now, and a wait for a slot opens now
     * (so the engine's guard waits for the queue deadline while the command is only in line);
     * {@link #afterWaiting} closes it, reporting the wait.
     */
    public Deadline forCommand() {
        return new Deadline(remaining(), remaining(), null, null, parent != null ? parent : this);
    }

    /**
     * Reports the wait for a slot (zero included: it ends the wait) and returns the command's own time
     * from now. A command's share reports the wait it opened; others report {@code waited}.
     */
    public Duration afterWaiting(Duration waited) {
        // a share's first wait is the one it opened when it was made; a later one (the server refused a
        // channel, and the command waited in line again) is reported as any other, or it would eat the
        // command's own time
        if (slot != null && slotOpen.getAndSet(false)) slot.close();
        else queued(waited == null || waited.isNegative() ? Duration.ZERO : waited);
        return remaining();
    }

    /**
     * A check type's own {@code timeout} key ({@code own}, or null), capped by this deadline: a plain
     * deadline from now, labelled with the configured figure (see {@link #label()}).
     */
    public Deadline narrowedTo(Duration own) {
        Duration configured = own == null || own.compareTo(timeout) > 0 ? timeout : own;
        Duration left = remaining();
        Duration limit = left.compareTo(configured) < 0 ? left : configured;
        if (limit.compareTo(MIN) < 0) limit = MIN;
        // the configured figure, unless the run's deadline is what cut it short: time this observation
        // already spent (a slow start under load) must not change the message ("within 1.87s" for a 2s
        // timeout), and must not make it depend on how busy the machine was
        Duration shown = limit.compareTo(configured) < 0 && boundByRunDeadline() ? limit : configured;
        return new Deadline(limit, shown, null, null, null);
    }

    /** A plain deadline of at most {@code most} from now, ending no later than this one. */
    public Deadline atMost(Duration most) {
        Duration left = remaining();
        return of(left.compareTo(most) < 0 ? left : most);
    }

    /**
     * True when the run's deadline, rather than the check's own timeout (or, while a slot is awaited,
     * the queue limit), is what bounds it now.
     */
    public boolean boundByRunDeadline() {
        if (cap == null) return false;
        Instant own = ownEnd();
        // the queue limit as computed, uncapped: capped, it would equal the run's deadline and always "bind"
        if (queueLimit != null && awaitingSlotNow()) {
            Instant queue = started.plus(queueLimit);
            if (queue.isAfter(own)) own = queue;
        }
        return !own.isBefore(cap);
    }

    /**
     * Until when a guard lets the work run before it stops it itself: the (moving) end, or while a slot
     * is awaited, the queue deadline; {@code grace} on top for the work to notice its own deadline first.
     */
    public Instant guardDeadline(Duration grace) {
        return (awaitingSlotNow() ? queueDeadline() : end()).plus(grace);
    }

    /** An open wait for a slot (see {@link #awaitingSlot()}); closing it twice reports it once. */
    @FunctionalInterface
    public interface SlotWait extends AutoCloseable {
        @Override
        void close();
    }
}
