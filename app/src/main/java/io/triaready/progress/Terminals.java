package io.triaready.progress;

import java.io.IOException;
import java.util.Optional;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The user's terminal, when standard output is one that can redraw lines. */
public final class Terminals {
    private Terminals() {}

    /**
     * The system terminal, or empty when stdin/stdout are not a terminal or it is a dumb one.
     * Native signal handling is left to the JVM: jline would otherwise install the OS default for
     * SIGINT, which kills the process without running shutdown hooks, and Ctrl-C must still write
     * the partial report and exit 130.
     */
    public static Optional<Terminal> system() {
        if (System.console() == null) return Optional.empty();
        try {
            Terminal t = TerminalBuilder.builder().system(true).nativeSignals(false).dumb(true).build();
            if (t.getType() == null || t.getType().startsWith(Terminal.TYPE_DUMB)) {
                t.close();
                return Optional.empty();
            }
            return Optional.of(t);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
