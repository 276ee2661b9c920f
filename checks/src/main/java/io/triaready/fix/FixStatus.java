package io.triaready.fix;

/** How a fix ended. Only FIXED (and NOTHING_TO_FIX, which changed nothing) are successes. */
public enum FixStatus {
    /** The checks it repairs already passed: nothing was run. */
    NOTHING_TO_FIX,
    /** A check in {@code requires} did not pass: nothing was run. */
    PRECONDITION_FAILED,
    /** Steps ran and every check it repairs passes now. */
    FIXED,
    /** Steps ran, but a check it repairs still does not pass. */
    STILL_FAILING,
    /** A step failed (the rest were not run; rollback ran if the fix has one). */
    FIX_ERROR,
    /** Another operator holds the lock on a host: nothing was run there. */
    LOCKED,
    /** A manual fix whose instructions were shown and not (yet) marked done. */
    MANUAL,
    /** Dry run: the plan was shown, nothing was run. */
    DRY_RUN,
    /** The plan was shown and the user said no: nothing was run. */
    NOT_APPROVED,
    /** Stopped by the user (Ctrl-C): the running step was stopped, its locks released, rollback not run. */
    INTERRUPTED;

    public String label() { return name().replace('_', ' '); }
}
