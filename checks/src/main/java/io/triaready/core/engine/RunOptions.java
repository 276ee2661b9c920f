package io.triaready.core.engine;

import java.time.Duration;

/**
 * How to run: at most {@code concurrency} observations at once, {@code defaultTimeout} for checks
 * without their own, a {@code deadline} for the whole run (null: none), and the score under which
 * the verdict is NOT READY.
 */
public record RunOptions(Selection selection, int concurrency, Duration defaultTimeout, Duration deadline, double failUnder) {
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public static RunOptions defaults() {
        return new RunOptions(Selection.ALL, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, null, 100);
    }

    public RunOptions withSelection(Selection s) { return new RunOptions(s, concurrency, defaultTimeout, deadline, failUnder); }
}
