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
    /** Interrupted by Ctrl-C (128 + SIGINT); a partial report is still written. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
