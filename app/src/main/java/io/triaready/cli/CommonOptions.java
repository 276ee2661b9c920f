package io.triaready.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--debug", description = "Show stack traces for internal errors.")
    boolean debug;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    /** Colour only on a terminal, and never with NO_COLOR or --no-color. */
    public boolean color() {
        if (noColor) return false;
        String nc = System.getenv("NO_COLOR");
        if (nc != null && !nc.isEmpty()) return false;
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }
}
