package io.triaready.cli;

import java.util.Optional;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;

/**
 * The person at the keyboard, when there is one: for questions only a person may answer. Built on
 * the same jline terminal as the live progress ({@link io.triaready.progress.Terminals}), and never
 * interactive in CI.
 */
final class Terminal {
    private final org.jline.terminal.Terminal jline;

    private Terminal(org.jline.terminal.Terminal jline) {
        this.jline = jline;
    }

    /** Interactive only with a real terminal and not in CI ({@code CI=true}). */
    static Terminal of(TriaReady root) {
        boolean ci = "true".equalsIgnoreCase(root.env("CI"));
        Optional<org.jline.terminal.Terminal> t = ci ? Optional.empty() : root.terminal();
        return new Terminal(t.orElse(null));
    }

    boolean interactive() { return jline != null; }

    /** Asks a yes/no question; anything but y/yes (and Ctrl-C, Ctrl-D) is no. */
    boolean confirm(String question) {
        if (jline == null) return false;
        LineReader reader = LineReaderBuilder.builder().terminal(jline).build();
        try {
            String answer = reader.readLine(question);
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        }
    }
}
