package io.triaready.fix;

/** Live progress of a fix, for the terminal: every line a step prints, and each step's start and end. */
public interface FixListener {
    FixListener NONE = new FixListener() { };

    /** The plan, shown before anything is approved or run (dry runs included). */
    default void plan(FixRunner.Plan plan) { }

    /** A line of a step's output on {@code host} ("-" for steps run from this machine). */
    default void output(String host, String line) { }

    default void stepStarted(String host, int index, String description) { }

    default void stepFinished(String host, int index, boolean ok, String message) { }

    /** Something worth saying between steps: verifying, rolling back, waiting for a lock. */
    default void note(String message) { }
}
