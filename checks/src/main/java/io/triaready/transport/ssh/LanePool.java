package io.triaready.transport.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.Session;
import io.triaready.transport.ssh.mina.QuickAckIo;
import org.apache.sshd.client.session.ClientSession;

/**
 * A connection's {@link ShellLane}s ({@code exec: shell}, a speed trick): which lane a command runs on,
 * opening lanes within the {@link ChannelGate}'s cap (and ahead of need, right after login), queueing
 * commands behind each other on a lane in runs that only read (pipelining), and retiring lanes that
 * closed or that the server refused.
 */
final class LanePool {
    private final SshSettings settings;
    private final Session runSession;
    private final ChannelGate gate;
    private final LiveSession live;
    private final RemoteStop stop;
    /** Whether a reading run may queue commands behind each other on a lane ({@link SpeedTrick#PIPELINING}). */
    private final boolean pipelining;
    /** Whether the lanes opened ahead leave in one TCP segment ({@link QuickAckIo#batch}). */
    private final boolean batchOpens;
    /**
     * Open lanes, idle or not, the most recently used first; each holds one of the gate's permits until
     * it leaves this list. Guarded by itself; waited on for a lane with room.
     */
    private final List<ShellLane> allLanes = new ArrayList<>();
    /** Off when the inventory says {@code exec: channel}, the speed tricks are off, or a lane's loop could not start on this host. */
    private volatile boolean lanes;
    private final AtomicInteger openLanes = new AtomicInteger();
    private final AtomicInteger peakLaneLoad = new AtomicInteger();
    /** Lanes this connection may open: max_channels, lowered when the server refused one (its MaxSessions). */
    private volatile int laneCap;
    /** Why the server last refused a lane, for the error when the lanes it allows stay busy. */
    private volatile String laneRefusal;
    private volatile boolean closed;

    LanePool(SshSettings settings, Session runSession, ChannelGate gate, LiveSession live, RemoteStop stop,
             boolean enabled, boolean pipelining, boolean batchOpens) {
        this.settings = settings;
        this.runSession = runSession;
        this.gate = gate;
        this.live = live;
        this.stop = stop;
        this.lanes = enabled;
        this.pipelining = pipelining;
        this.batchOpens = batchOpens;
        this.laneCap = settings.maxChannels();
    }

    /** Whether commands go to lanes (until a lane's loop could not start on this host). */
    boolean enabled() { return lanes; }

    /** The loop cannot run on this host (a ForceCommand, a restricted shell): commands take exec channels from now on. */
    void disable() { lanes = false; }

    /** Whether a reading run may queue commands on a lane (for the report of speed tricks). */
    boolean pipelines() { return lanes && pipelining; }

    /** The most commands one lane carried at once (for tests of pipelining). */
    int peakLoad() { return peakLaneLoad.get(); }

    /** The connection is closing: a lane a command leaves from now on is closed, not kept. */
    void markClosed() { closed = true; }

    /** Closes the idle lanes, returning their permits (each lane's channel closes with the session anyway). */
    void closeIdle() {
        while (closeIdleLane()) {
            // one at a time: a lane still carrying a command closes when it leaves
        }
    }

    /**
     * Commands one lane may carry at once when the run only reads. With max_channels 8 that is 32, the
     * default --concurrency: a suite of 24 checks on one host all go out at once. Deeper queues
     * would gain nothing at such concurrency and put more commands behind a slow one (a lane runs its
     * commands one after another), and more to retry after a hung one.
     */
    static final int LANE_DEPTH = 4;

    /**
     * Runs a command on a lane: an idle one (the most recently used first), else a new one while the
     * channel cap allows, else, in a run that only reads, queued behind the commands of the least busy
     * lane (up to {@link #LANE_DEPTH}), else it waits for one of these. Queuing sends all of a host's
     * commands at once instead of in waves of max_channels, a round trip each. It is for reading runs
     * only: a command queued behind one that timed out is run again on another lane, and may have
     * started already if the one before it finished just then (see {@link ShellLane}); a fix's steps and
     * its host lock must never run twice, nor wait behind each other on one lane.
     * A server at its MaxSessions refuses a new lane: the command did not run, so it waits for one of
     * the open lanes (and no more are opened), or, with none open, retries with backoff like
     * {@link ExecChannels#run}.
     */
    ExecResult run(String command, Deadline limits, long start, long queueDeadline)
            throws IOException, TimeoutException, InterruptedException {
        long backoffMillis = 20;
        while (true) {
            ShellLane lane = claimLane(start, queueDeadline);
            try {
                return lane.run(command, limits, queueDeadline, start);
            } catch (ShellLane.Retry e) {
                // the lane was closed before the command's turn: it did not start, another lane runs it
                if (!lanes) throw new ShellLane.Unavailable("the command loop did not start on this host");
                if (remainingNanos(queueDeadline) == 0) {
                    throw new ChannelGate.NoChannel("no free SSH lane within " + Durations.format(Duration.ofNanos(queueDeadline - start))
                            + ": the lane it was queued on was closed");
                }
            } catch (ShellLane.Refused e) {
                if (retire(lane)) {
                    laneRefusal = e.getMessage();
                    laneCap = Math.max(1, openLanes.get()); // the server's MaxSessions (less what others use) is below max_channels
                }
                if (openLanes.get() == 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(remainingNanos(queueDeadline));
                    if (left <= backoffMillis) throw gate.refused(laneRefusal);
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, 500);
                }
            } finally {
                giveBack(lane);
            }
        }
    }

    /** A lane with a place taken for one command ({@link ShellLane#tryClaim}), as {@link #run} says. */
    private ShellLane claimLane(long start, long deadline) throws IOException, TimeoutException, InterruptedException {
        while (true) {
            synchronized (allLanes) {
                while (true) {
                    retireDeadLanes();
                    for (ShellLane lane : allLanes) {
                        if (lane.tryClaim(1)) return noteLoad(lane); // idle
                    }
                    if (openLanes.get() < laneCap && reserveLane()) break; // open one, below
                    ShellLane least = pipelining && runSession.readOnly() ? leastBusy() : null;
                    if (least != null && least.tryClaim(LANE_DEPTH)) return noteLoad(least);
                    long left = remainingNanos(deadline);
                    if (left <= 0) {
                        if (laneRefusal != null && openLanes.get() == 0) throw gate.refused(laneRefusal);
                        int ahead = 0;
                        for (ShellLane l : allLanes) ahead += l.load();
                        throw ChannelGate.noFreeChannel(settings.label(), Duration.ofNanos(deadline - start), new ChannelGate.Shortage(gate.cap(), laneRefusal != null, ahead));
                    }
                    // woken when a command leaves a lane; a permit freed by an exec channel is seen within 50 ms
                    allLanes.wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
                }
            }
            ShellLane lane;
            try {
                lane = ShellLane.start(live.get(Duration.ofNanos(remainingNanos(deadline))), stop::stopLaneCommand);
            } catch (IOException | InterruptedException | RuntimeException e) {
                unreserveLane();
                throw e;
            }
            synchronized (allLanes) {
                allLanes.add(0, lane);
                if (lane.tryClaim(1)) return noteLoad(lane);
            }
            // closed as soon as it opened: the next round retires it
        }
    }

    private ShellLane noteLoad(ShellLane lane) {
        peakLaneLoad.accumulateAndGet(lane.load(), Math::max);
        return lane;
    }

    /** The usable lane carrying the fewest commands (under the lanes' lock). */
    private ShellLane leastBusy() {
        ShellLane least = null;
        int min = Integer.MAX_VALUE;
        for (ShellLane lane : allLanes) {
            int load = lane.load();
            if (lane.usable() && load < min) {
                least = lane;
                min = load;
            }
        }
        return least;
    }

    /** After a command left {@code lane}: an idle lane moves to the front, a closed one with no command left goes. */
    private void giveBack(ShellLane lane) {
        synchronized (allLanes) {
            if (lane.load() == 0 && allLanes.remove(lane)) {
                if (lane.usable() && !closed) {
                    allLanes.add(0, lane); // the most recently used first: the others may time out unused
                } else {
                    release(lane);
                }
            }
            allLanes.notifyAll();
        }
    }

    /** Retires the lanes that closed and carry no command (under the lanes' lock). */
    private void retireDeadLanes() {
        for (java.util.Iterator<ShellLane> it = allLanes.iterator(); it.hasNext(); ) {
            ShellLane lane = it.next();
            if (!lane.usable() && lane.load() == 0) {
                it.remove();
                release(lane);
            }
        }
    }

    /** Takes a channel permit for a new lane and counts the lane as open; false when no permit is free. */
    private boolean reserveLane() {
        if (!gate.tryAcquire()) return false;
        openLanes.incrementAndGet();
        return true;
    }

    /** Undoes {@link #reserveLane}: the lane did not open, or is closed for good. */
    private void unreserveLane() {
        openLanes.decrementAndGet();
        gate.release();
    }

    /** Closes a lane for good and returns its channel permit; false if it was already retired. */
    private boolean retire(ShellLane lane) {
        synchronized (allLanes) {
            if (!allLanes.remove(lane)) return false;
        }
        release(lane);
        return true;
    }

    /** Closes a lane already taken out of {@link #allLanes} and returns its channel permit. */
    private void release(ShellLane lane) {
        lane.close();
        unreserveLane();
    }

    /**
     * Right after login, starts as many lanes as the run expects commands on this host at once (at
     * most max_channels) without waiting: they open while the playbook loads, so the first commands
     * find them ready. A fleet spreads its concurrency over many hosts and gets one lane each.
     */
    void openAhead(ClientSession session) {
        if (!lanes) return;
        Runnable opens = () -> {
            for (int i = 0; i < Math.min(settings.maxChannels(), runSession.observationsPerHost()); i++) {
                if (!reserveLane()) return;
                try {
                    ShellLane lane = ShellLane.start(session, stop::stopLaneCommand);
                    synchronized (allLanes) {
                        allLanes.add(lane);
                        allLanes.notifyAll();
                    }
                } catch (IOException | RuntimeException e) {
                    unreserveLane();
                    return; // the checks will open lanes (or report why they cannot)
                }
            }
        };
        // the opens leave in one segment, so sshd confirms them in one (QuickAckIo.batch)
        if (batchOpens) QuickAckIo.batch(session, opens);
        else opens.run();
    }

    /** Closes the least recently used idle lane, freeing its channel; false when none was idle. */
    boolean closeIdleLane() {
        ShellLane idle = null;
        synchronized (allLanes) {
            for (int i = allLanes.size() - 1; i >= 0 && idle == null; i--) {
                if (allLanes.get(i).load() == 0) idle = allLanes.remove(i);
            }
        }
        if (idle == null) return false;
        release(idle);
        return true;
    }

    private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }
}
