package io.triaready.core.playbook;

import java.util.List;

/**
 * A remedy: ordered steps (or manual instructions for a person), the checks it repairs
 * ({@code verify}; by default every check whose {@code fix} names it), the checks that must pass
 * before it may run ({@code requires}), steps that undo a failed attempt ({@code rollback}), and
 * how disruptive it is. {@code locks} names what it touches besides itself ({@code locks: [nginx]}):
 * two fixes exclude each other on a host only when they share a lock name (see {@link #lockNames()}).
 */
public record FixDef(String id, String title, String manual, List<FixStep> steps, List<String> verify, List<String> requires,
                     List<FixStep> rollback, Disruption disruption, String restarts, boolean reboots, String location, List<String> locks) {
    public FixDef {
        steps = List.copyOf(steps);
        verify = List.copyOf(verify);
        requires = List.copyOf(requires);
        rollback = List.copyOf(rollback);
        locks = locks == null ? List.of() : List.copyOf(locks);
    }

    /** Without declared locks. */
    public FixDef(String id, String title, String manual, List<FixStep> steps, List<String> verify, List<String> requires,
                  List<FixStep> rollback, Disruption disruption, String restarts, boolean reboots, String location) {
        this(id, title, manual, steps, verify, requires, rollback, disruption, restarts, reboots, location, List.of());
    }

    /**
     * The locks this fix takes on each host it changes, sorted: {@code fix.ID} (the same fix never runs
     * twice at once on a host), {@code service.NAME} for the service it {@code restarts}, {@code host}
     * when it {@code reboots}, and every name it declares in {@code locks}. Fixes that share none run
     * side by side; a fix that needs the whole host to itself declares {@code locks: [host]}.
     */
    public List<String> lockNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        names.add("fix." + id);
        if (restarts != null && !restarts.isBlank()) names.add("service." + restarts.strip().replaceAll("[^A-Za-z0-9._-]", "_"));
        if (reboots) names.add("host");
        names.addAll(locks);
        return List.copyOf(names);
    }

    public boolean isManual() { return manual != null; }

    /** How much a fix may disturb the service: in CI, {@code high} needs --allow-disruption besides --yes. */
    public enum Disruption {
        NONE, LOW, MEDIUM, HIGH;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
