package io.triaready.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;


/**
 * How long a command may take, split in two: waiting for a slot on a shared resource (an SSH channel or
 * lane), bounded by {@link #queueDeadline}, and the command's own time on the wire, {@link #timeout}. A
 * transport that waited reports it with {@link #queued} before the command goes out, then gives the
 * command {@link #timeoutAfterQueue}: for a check, what its {@link ProbeContext} has left once the engine
 * moved its deadline out by the wait (so a command queued behind a slow neighbour never inherits its fate).
 *
 * @param timeout           the command's own time, as the caller had it left when it asked
 * @param queueDeadline     the latest moment to get a slot; past it the command fails saying why
 * @param onQueued          told how long the wait was (once per wait; waits add up)
 * @param timeoutAfterQueue the command's own time once the wait was reported
 */
public record ExecLimits(Duration timeout, Instant queueDeadline, Consumer<Duration> onQueued, Supplier<Duration> timeoutAfterQueue) {

    /**
     * One budget for both: waiting for a slot eats the command's time (fix steps, the host lock, callers
     * with a plain timeout): whatever happens, the call ends by {@code timeout}.
     */
    public static ExecLimits of(Duration timeout) {
        long start = System.nanoTime();
        return new ExecLimits(timeout, Instant.now().plus(timeout), waited -> {},
                () -> nonNegative(timeout.minusNanos(System.nanoTime() - start)));
    }

    /** A check's budget: its wait for a slot is bounded by {@code ctx.queueDeadline()} and reported to the engine. */
    public static ExecLimits of(ProbeContext ctx) {
        // the wait is open from now until the command goes out: while it lasts, the engine's guard waits
        // for the queue deadline rather than stopping a probe that is only in line (ProbeContext.awaitingSlot);
        // closing it reports the wait as queued time
        ProbeContext.SlotWait wait = ctx.awaitingSlot();
        return new ExecLimits(ctx.remaining(), ctx.queueDeadline(), waited -> wait.close(), ctx::remaining);
    }

    /** Reports the wait (zero included: it ends the wait) and returns the command's own time from now. */
    public Duration afterWaiting(Duration waited) {
        onQueued.accept(waited.isNegative() ? Duration.ZERO : waited);
        return timeoutAfterQueue.get();
    }

    private static Duration nonNegative(Duration d) { return d.isNegative() ? Duration.ZERO : d; }
}
