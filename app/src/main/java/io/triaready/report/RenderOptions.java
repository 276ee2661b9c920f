package io.triaready.report;

/**
 * How to render: {@code color} for ANSI colours (text only), {@code verbose} to list passing checks
 * in detail, {@code history} optional earlier scores (oldest first) for formats that can show them,
 * {@code fixes} the fixes applied since the previous audit (a report says what changed and who changed it).
 */
public record RenderOptions(boolean color, boolean verbose, java.util.List<HistoryPoint> history, java.util.List<FixNote> fixes) {
    public static final RenderOptions PLAIN = new RenderOptions(false, false, java.util.List.of());

    /** Without fix notes. */
    public RenderOptions(boolean color, boolean verbose, java.util.List<HistoryPoint> history) {
        this(color, verbose, history, java.util.List.of());
    }

    /** A fix applied to the same playbook and target since the previous recorded audit. */
    public record FixNote(java.time.Instant when, String fix, String status, String operator) {}

    /** One earlier run's score, for trend displays. */
    public record HistoryPoint(java.time.Instant when, Double score, String verdict) {}
}
