package io.triaready.core.result;

/** What happened to a check. Only PASS and FLAKY count as passing. */
public enum Outcome {
    /** Every expectation held. */
    PASS,
    /** Held only after a retry: counts as a pass, shown as flaky. */
    FLAKY,
    /** Observed, and an expectation did not hold. */
    FAIL,
    /** Could not be observed: timeout, refused, bad response. Never a pass. */
    ERROR,
    /** Not run because a dependency did not pass. Counts as not passing, listed under its cause. */
    BLOCKED,
    /**
     * Not run: destructive without --destructive, filtered out, --skip, or depending on such a check.
     * Not in the score; every report names it with its reason (the message), and a P0 check not run
     * keeps the verdict from READY.
     */
    SKIPPED;

    public boolean passed() { return this == PASS || this == FLAKY; }

    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** How bad, for aggregating hosts: a check is as bad as its worst host. */
    public int severity() {
        return switch (this) {
            case FAIL -> 5;
            case ERROR -> 4;
            case BLOCKED -> 3;
            case FLAKY -> 2;
            case PASS -> 1;
            case SKIPPED -> 0;
        };
    }
}
