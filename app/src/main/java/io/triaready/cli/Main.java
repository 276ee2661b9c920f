package io.triaready.cli;

import io.triaready.trace.Trace;

/** Entry point: {@code java -jar tria-ready.jar ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Trace.mark("main");
        int rc = TriaReady.run(args, System.out, System.err);
        Trace.mark("exit");
        Trace.print();
        System.exit(rc);
    }
}
