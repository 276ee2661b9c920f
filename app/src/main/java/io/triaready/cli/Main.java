package io.triaready.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;

import org.jline.terminal.Terminal;

import io.triaready.progress.Terminals;

/** Entry point: {@code java -jar tria-ready.jar ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Terminals::system));
    }

    /** One command as {@link #main} runs it, without exiting: the start-up archive's {@link Training} runs several. */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<Optional<Terminal>> terminal) {
        return TriaReady.run(args, out, err, System::getenv, terminal);
    }
}
