package io.triaready.playbook;

import java.util.List;

/**
 * A remedy: ordered steps (or manual instructions for a person), the checks it repairs
 * ({@code verify}; by default every check whose {@code fix} names it), the checks that must pass
 * before it may run ({@code requires}), steps that undo a failed attempt ({@code rollback}), and
 * how disruptive it is.
 */
public record FixDef(String id, String title, String manual, List<FixStep> steps, List<String> verify, List<String> requires,
                     List<FixStep> rollback, Disruption disruption, String restarts, boolean reboots, String location) {
    public FixDef {
        steps = List.copyOf(steps);
        verify = List.copyOf(verify);
        requires = List.copyOf(requires);
        rollback = List.copyOf(rollback);
    }

    public boolean isManual() { return manual != null; }

    /** How much a fix may disturb the service: in CI, {@code high} needs --allow-disruption besides --yes. */
    public enum Disruption {
        NONE, LOW, MEDIUM, HIGH;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
