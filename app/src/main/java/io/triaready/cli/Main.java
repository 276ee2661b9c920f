package io.triaready.cli;

import io.triaready.base.trace.Trace;

/** Entry point: {@code java -jar tria-ready.jar ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Trace.mark("main");
        // a console that is not UTF-8 (LC_ALL=C) gets ASCII stand-ins for the report's glyphs, never '?'
        java.io.PrintStream out = ConsoleCharset.stream(System.out, java.io.FileDescriptor.out);
        java.io.PrintStream err = ConsoleCharset.stream(System.err, java.io.FileDescriptor.err);
        int rc = TriaReady.run(args, out, err);
        out.flush();
        err.flush();
        Trace.mark("exit");
        Trace.print();
        System.exit(rc);
    }
}
