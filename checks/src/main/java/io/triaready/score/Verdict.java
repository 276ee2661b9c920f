package io.triaready.score;

/** The answer to "may this ship?". */
public enum Verdict {
    /** Every P0 check passed and the score is at least the threshold. */
    READY,
    /** Every P0 check passed but the score is under the threshold. */
    NOT_READY,
    /** A P0 check failed, errored or was blocked. */
    BLOCKED,
    /** Nothing was evaluated: no score, never a pass. */
    NO_DATA;

    public String label() { return name().replace('_', ' '); }
}
