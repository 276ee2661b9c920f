package io.triaready.truth;

import io.triaready.core.result.Outcome;

/**
 * One cell of the truth matrix: a check (its YAML body, without {@code id} and {@code phase}) against a
 * real target, and the outcome it must have; {@code cell} names it across copies. {@code messageStart}, for an expected ERROR, is how its
 * message must begin: an ERROR for the wrong reason is a false outcome too.
 */
record TruthCase(String id, String cell, String type, Outcome expected, String messageStart, String body) {
    static TruthCase pass(String id, String type, String body) { return new TruthCase(id, id, type, Outcome.PASS, null, body); }

    static TruthCase fail(String id, String type, String body) { return new TruthCase(id, id, type, Outcome.FAIL, null, body); }

    static TruthCase error(String id, String type, String messageStart, String body) {
        return new TruthCase(id, id, type, Outcome.ERROR, messageStart, body);
    }

    /**
     * A copy of this case (the matrix repeats the list to make many checks at once): id + {@code suffix},
     * the same cell, {@code {{copy}}} in the body (a dependency on another case) replaced by {@code suffix}.
     */
    TruthCase copy(String suffix) { return new TruthCase(id + suffix, cell, type, expected, messageStart, body.replace("{{copy}}", suffix)); }

    /** Why {@code outcome}/{@code message} is not what this case promises, or null when it is. */
    String falseness(Outcome outcome, String message) {
        if (outcome != expected) return "expected " + expected + ", got " + outcome + ": " + message;
        if (messageStart != null && (message == null || !message.startsWith(messageStart))) {
            return "expected an ERROR starting '" + messageStart + "', got: " + message;
        }
        return null;
    }
}
