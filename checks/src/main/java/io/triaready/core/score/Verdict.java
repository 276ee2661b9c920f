package io.triaready.core.score;

/** The answer to "may this ship?". */
public enum Verdict {
    /** Every P0 check ran and passed, and the score is at least the threshold. */
    READY,
    /** Every P0 check that ran passed but the score is under the threshold. */
    NOT_READY,
    /** A P0 check failed, errored or was blocked. */
    BLOCKED,
    /** Nothing was evaluated: no score, never a pass. */
    NO_DATA,
    /**
     * What ran passes (no P0 check that ran failed, the score is at least the threshold), but a P0
     * check was not run (destructive, filtered out, skipped): readiness was not shown, so never READY.
     */
    INCOMPLETE;

    public String label() { return name().replace('_', ' '); }
}
