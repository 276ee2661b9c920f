package io.triaready.transport.ssh;

import java.util.concurrent.CompletableFuture;

/** One command sent on a {@link ShellLane}, until its reply; and how it can end. */
final class LaneRequest {
    /** How a command sent on the lane ended, as the I/O thread saw it; its caller makes the result or exception. */
    sealed interface Outcome permits Answered, Failed {}

    record Answered(int status, LaneProtocol.Record out, LaneProtocol.Record err) implements Outcome {}

    enum Failed implements Outcome {
        /** The lane was closed before the command started: {@link ShellLane.Retry}. */
        RETRY,
        /** The channel or the connection closed under it. */
        LOST,
        /** The loop never announced itself: {@link ShellLane.Unavailable}. */
        UNAVAILABLE,
        /** The reply did not end with an exit code. */
        GARBLED
    }

    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** Completed with the command's process id (its process group's) when the loop started it. */
    final CompletableFuture<Long> started = new CompletableFuture<>();
    /** Its caller gave up (its deadline passed while it was queued); its reply is still counted. Guarded by the lane. */
    boolean abandoned;
}
