package io.triaready.core.playbook;

import java.util.Locale;
import java.util.Optional;

/** Urgency of a check: P0 blocks a release, P1 should be done before it, P2 soon after. */
public enum Phase {
    P0(3), P1(2), P2(1);

    /** Weight of the phase in the score when the playbook has no category budgets. */
    public final int weight;

    Phase(int weight) { this.weight = weight; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Phase> parse(String text) {
        if (text == null) return Optional.empty();
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
