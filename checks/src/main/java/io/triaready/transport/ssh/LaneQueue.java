package io.triaready.transport.ssh;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

import io.triaready.transport.ssh.LaneRequest.Answered;
import io.triaready.transport.ssh.LaneRequest.Failed;
import io.triaready.transport.ssh.LaneRequest.Outcome;

/**
 * The commands on one {@link ShellLane}: the places its callers took, the requests sent and not yet
 * answered (oldest first), and the records MINA's I/O thread delivers, paired into answers in order.
 * Guarded by itself (the lane's lock), never held while writing to the channel.
 */
final class LaneQueue {
    private final LongConsumer stopOnTarget;
    /** Closes the lane's channel off MINA's I/O thread. */
    private final Runnable closeLater;
    /** Requests sent and not yet answered, oldest first. */
    private final ArrayDeque<LaneRequest> queue = new ArrayDeque<>();
    /** Records waiting for the other stream's record of the same command. */
    private final ArrayDeque<LaneProtocol.Record> outs = new ArrayDeque<>();
    private final ArrayDeque<LaneProtocol.Record> errs = new ArrayDeque<>();
    private boolean ready;
    /** Callers the connection put on this lane ({@link ShellLane#tryClaim}) whose {@link ShellLane#run} has not returned. */
    private int claims;
    /** Abandoned commands still in {@link #queue}. */
    private int abandoned;
    /** We closed the lane: commands not yet answered were sent {@link Failed#RETRY} or will be refused. */
    private boolean stopped;
    /** The channel closed before the loop announced itself. */
    private boolean unavailable;
    /** No more commands: set before the queue is drained, so a broken lane has nothing in flight. */
    private volatile boolean broken;

    LaneQueue(LongConsumer stopOnTarget, Runnable closeLater) {
        this.stopOnTarget = stopOnTarget;
        this.closeLater = closeLater;
    }

    boolean broken() { return broken; }

    synchronized int load() { return claims + abandoned; }

    synchronized void claim() { claims++; }

    synchronized void unclaim() { claims--; }

    synchronized boolean stopped() { return stopped; }

    /** A new request at the end of the line; {@link ShellLane.Unavailable} or {@link ShellLane.Retry} when the lane takes no more. */
    synchronized LaneRequest enqueue() throws ShellLane.Unavailable, ShellLane.Retry {
        if (unavailable) throw new ShellLane.Unavailable("the command loop did not start on this host");
        if (broken) throw new ShellLane.Retry();
        LaneRequest p = new LaneRequest();
        queue.addLast(p);
        return p;
    }

    /** Writing {@code p} failed: the channel is gone, as if it had closed. Whether the loop had announced itself. */
    synchronized boolean writeFailed(LaneRequest p) {
        boolean wasReady = ready;
        queue.remove(p);
        finishAll(Failed.LOST);
        return wasReady;
    }

    /** Its caller left {@code p} while it was queued: true unless it started or ended meanwhile. */
    synchronized boolean abandon(LaneRequest p) {
        if (p.started.isDone() || p.outcome.isDone()) return false;
        p.abandoned = true;
        abandoned++;
        return true;
    }

    /** The caller of {@code p}, first in line, gives up: its outcome if it came just now, else null and the lane is stopped. */
    synchronized Outcome giveUp(LaneRequest p) {
        if (p.outcome.isDone()) return p.outcome.join();
        // it started (awaitStart), so it is first in line: it is hung
        queue.remove(p);
        stop(Failed.RETRY);
        return null;
    }

    // ------------------------------------------------------------------------- on MINA's I/O thread

    synchronized void stdout(LaneProtocol.Record r) {
        if (ready && r.tail().startsWith("@")) {
            started(r.tail().substring(1));
        } else if (ready) {
            outs.addLast(r);
            pair();
        } else if (r.tail().equals("ready")) {
            ready = true;
        } else {
            unavailable = true;
            finishAll(Failed.UNAVAILABLE);
        }
    }

    synchronized void stderr(LaneProtocol.Record r) {
        errs.addLast(r);
        pair();
    }

    /** Answers the oldest request with each pair of records (cheap: the caller decodes the text). */
    private void pair() {
        while (!outs.isEmpty() && !errs.isEmpty()) {
            LaneProtocol.Record o = outs.pollFirst();
            LaneProtocol.Record e = errs.pollFirst();
            LaneRequest p = queue.pollFirst();
            if (p == null) continue; // the lane was stopped: nobody waits for this reply
            if (p.abandoned) abandoned--;
            Integer status = LaneProtocol.status(o.tail());
            if (status == null) {
                p.outcome.complete(Failed.GARBLED);
                stop(Failed.GARBLED);
                closeLater.run();
                return;
            }
            p.outcome.complete(new Answered(status, o, e));
        }
    }

    /**
     * The loop started a command and says its process id: the command is the one after those whose
     * stdout record came already. If its caller gave up while it was queued, nobody will time it out:
     * it is stopped at once, and the lane with it.
     */
    private void started(String pidText) {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return;
        }
        int i = 0;
        for (LaneRequest p : queue) {
            if (i++ < outs.size()) continue;
            p.started.complete(pid);
            if (p.abandoned) {
                stopOnTarget.accept(pid);
                stop(Failed.RETRY);
                closeLater.run();
            }
            return;
        }
    }

    /** The channel closed: by us, or under us (the server, the network). */
    synchronized void closed() {
        if (!stopped && !ready) unavailable = true;
        finishAll(ready ? Failed.LOST : Failed.UNAVAILABLE);
    }

    // --------------------------------------------------------------------------------- under the lock

    /** Every command not answered yet gets {@code f}: the channel is gone under them. */
    private void finishAll(Failed f) {
        fail(f, f);
    }

    /**
     * We close the lane: the first command not answered (which may be running) gets {@code first}, the
     * ones behind it {@link Failed#RETRY} (they have not started: see {@link ShellLane}).
     */
    void stop(Failed first) {
        stopped = true;
        fail(first, Failed.RETRY);
    }

    /** Ends the lane for its commands: the oldest unanswered one gets {@code head}, the rest {@code rest}. */
    private void fail(Failed head, Failed rest) {
        broken = true;
        LaneRequest first = queue.peekFirst();
        for (LaneRequest p : queue) p.outcome.complete(p == first ? head : rest);
        queue.clear();
        abandoned = 0;
    }
}
