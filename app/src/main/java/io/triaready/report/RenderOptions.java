package io.triaready.report;

/**
 * How to render: {@code color} for ANSI colours (text only), {@code verbose} to list passing checks
 * in detail, {@code history} optional earlier scores (oldest first) of runs of the same scope for
 * formats that can show them. (Fixes since the previous audit are part of the result: {@code RunResult.fixes()}.)
 */
public record RenderOptions(boolean color, boolean verbose, java.util.List<HistoryPoint> history) {
    public static final RenderOptions PLAIN = new RenderOptions(false, false, java.util.List.of());

    /** One earlier run's score, for trend displays. */
    public record HistoryPoint(java.time.Instant when, Double score, String verdict) {}
}
