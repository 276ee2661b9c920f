package io.triaready.spi;

/**
 * One parsed check body: knows how to observe the system and return {@link Facts}.
 * An observation that cannot be made (refused, timed out, bad response) throws: the check is an ERROR.
 * A probe never changes the target.
 */
public interface Probe {
    /** One line saying what it does, e.g. {@code GET https://host/health}; secrets masked by the caller. */
    String describe();

    Scope scope();

    Facts observe(ProbeContext ctx) throws Exception;

    /** What the probe needs from its target (an endpoint, say), checked before the run ({@link Need}). */
    default java.util.List<Need> needs() { return java.util.List.of(); }
}
