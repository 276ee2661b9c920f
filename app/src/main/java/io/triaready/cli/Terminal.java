package io.triaready.cli;

import java.io.IOException;
import java.io.PrintWriter;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.TerminalBuilder;

/** The user's terminal, when there is one: for questions that only a person may answer. */
final class Terminal {
    private final boolean interactive;

    private Terminal(boolean interactive) {
        this.interactive = interactive;
    }

    /** Interactive only with a console on both ends and not in CI. */
    static Terminal detect(PrintWriter out) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        return new Terminal(System.console() != null && !ci);
    }

    boolean interactive() { return interactive; }

    /** Asks a yes/no question; anything but y/yes (and Ctrl-C, Ctrl-D) is no. */
    boolean confirm(String question) {
        if (!interactive) return false;
        try (org.jline.terminal.Terminal t = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(t).build();
            String answer = reader.readLine(question);
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
