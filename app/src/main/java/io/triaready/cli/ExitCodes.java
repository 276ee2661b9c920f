package io.triaready.cli;

/** The exit codes of every command (docs/exit-codes.md). */
public final class ExitCodes {
    public static final int READY = 0;
    /** Not ready, blocked or no data (audit); still failing (fix); regression (diff). */
    public static final int NOT_READY = 1;
    /** Bad input: flags, playbook, inventory, unknown ids. */
    public static final int BAD_INPUT = 2;
    /** A bug in tria-ready itself (sysexits EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /**
     * A report the user asked for (-o FILE, $GITHUB_STEP_SUMMARY, standard output) could not be written
     * (sysexits EX_CANTCREAT): wins over 0 and 1, so a READY run whose report is missing never looks
     * READY to a pipeline (docs/decisions.md).
     */
    public static final int REPORT_NOT_WRITTEN = 73;
    /** Interrupted by Ctrl-C (128 + SIGINT); a partial report is still written. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (128 + 15, the JVM's own code): like {@link #INTERRUPTED}, the partial report is written. */
    public static final int TERMINATED = 143;

    private ExitCodes() {}
}
