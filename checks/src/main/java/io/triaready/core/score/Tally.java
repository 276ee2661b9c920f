package io.triaready.core.score;

import io.triaready.core.result.Outcome;

/** How many checks ended in each outcome. */
public record Tally(int pass, int flaky, int fail, int error, int blocked, int skipped) {
    public static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0);

    public Tally plus(Outcome o) {
        return new Tally(pass + (o == Outcome.PASS ? 1 : 0), flaky + (o == Outcome.FLAKY ? 1 : 0),
                fail + (o == Outcome.FAIL ? 1 : 0), error + (o == Outcome.ERROR ? 1 : 0),
                blocked + (o == Outcome.BLOCKED ? 1 : 0), skipped + (o == Outcome.SKIPPED ? 1 : 0));
    }

    /** Both tallies together. */
    public Tally plus(Tally o) {
        return new Tally(pass + o.pass, flaky + o.flaky, fail + o.fail, error + o.error, blocked + o.blocked, skipped + o.skipped);
    }

    /** How many checks ended in {@code o}. */
    public int count(Outcome o) {
        return switch (o) {
            case PASS -> pass;
            case FLAKY -> flaky;
            case FAIL -> fail;
            case ERROR -> error;
            case BLOCKED -> blocked;
            case SKIPPED -> skipped;
        };
    }

    /** Checks that were in the run (everything but SKIPPED). */
    public int evaluated() { return pass + flaky + fail + error + blocked; }

    public int passed() { return pass + flaky; }

    public int notPassed() { return fail + error + blocked; }
}
