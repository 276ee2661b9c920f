package io.triaready.cli;

/** Entry point: {@code java -jar tria-ready.jar ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(TriaReady.run(args, System.out, System.err));
    }
}
