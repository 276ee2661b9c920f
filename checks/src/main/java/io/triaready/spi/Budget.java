package io.triaready.spi;

import java.time.Duration;

/**
 * How long one observation may take: the check type's own {@code timeout} key (if any), capped by the
 * check's deadline. {@code label} is the figure to show in "no response within 2.0s": the configured
 * timeout rather than the few milliseconds less that are left by the time the request starts, unless
 * the run's deadline really cut it short.
 */
public record Budget(Duration limit, Duration label) {
    /** Never zero: most clients read a zero timeout as "wait forever". */
    private static final Duration MIN = Duration.ofMillis(1);
    /** Time lost between the deadline being set and the probe starting, still reported as the configured timeout. */
    private static final Duration GRACE = Duration.ofMillis(100);

    public static Budget of(Duration own, ProbeContext ctx) {
        Duration configured = own == null || own.compareTo(ctx.timeout()) > 0 ? ctx.timeout() : own;
        Duration remaining = ctx.remaining();
        Duration limit = remaining.compareTo(configured) < 0 ? remaining : configured;
        if (limit.compareTo(MIN) < 0) limit = MIN;
        Duration label = configured.minus(limit).compareTo(GRACE) <= 0 ? configured : limit;
        return new Budget(limit, label);
    }
}
