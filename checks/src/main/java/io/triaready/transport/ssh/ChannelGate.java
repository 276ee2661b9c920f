package io.triaready.transport.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.triaready.base.yaml.Durations;

/**
 * The channels one connection may have open at once (lanes and exec channels): {@code max_channels},
 * lowered to what the server allowed when it refused a channel (its MaxSessions counts per
 * connection). Commands waiting for one are served first come, first served, so a command's wait is
 * bounded by the commands ahead of it and never by luck.
 */
final class ChannelGate {
    /** Why no channel came before the caller's queue deadline: how many were open, the cap, how many were ahead. */
    record Shortage(int cap, boolean lowered, int ahead) {}

    private final int maxChannels;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int open;
    private int cap;
    private boolean lowered;
    private int peak;
    /** Channels the server confirmed that are still ours, and the most it ever confirmed at once. */
    private int confirmed;
    private int peakConfirmed;

    ChannelGate(int maxChannels) {
        this.maxChannels = maxChannels;
        this.cap = maxChannels;
    }

    /** Takes a channel if one is free and nobody waits for one. */
    synchronized boolean tryAcquire() {
        if (!waiting.isEmpty() || open >= cap) return false;
        take();
        return true;
    }

    /**
     * Waits in line for a channel until {@code deadlineNanos} ({@link System#nanoTime}); {@code whileWaiting}
     * runs now and then without the gate's lock (to free a channel an idle lane holds). Returns null when
     * it got one, else what stood in the way.
     */
    Shortage acquire(long deadlineNanos, Runnable whileWaiting) throws InterruptedException {
        Object me = new Object();
        int ahead;
        synchronized (this) {
            if (waiting.isEmpty() && open < cap) {
                take();
                return null;
            }
            ahead = waiting.size() + open;
            waiting.addLast(me);
        }
        boolean got = false;
        try {
            while (true) {
                synchronized (this) {
                    if (waiting.peekFirst() == me && open < cap) {
                        waiting.pollFirst();
                        take();
                        got = true;
                        return null;
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) return new Shortage(cap, lowered, ahead);
                    wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
                    if (waiting.peekFirst() == me && open < cap) continue;
                }
                whileWaiting.run();
            }
        } finally {
            if (!got) {
                synchronized (this) {
                    waiting.remove(me);
                    notifyAll();
                }
            }
        }
    }

    private void take() {
        open++;
        peak = Math.max(peak, open);
    }

    synchronized void release() {
        open--;
        notifyAll();
    }

    /** The server opened one of the channels taken here. */
    synchronized void confirmed() {
        confirmed++;
        peakConfirmed = Math.max(peakConfirmed, confirmed);
    }

    /** Gives back a channel the server had opened. */
    synchronized void releaseConfirmed() {
        confirmed--;
        release();
    }

    /**
     * The server refused a channel (at its MaxSessions, which counts per connection): it allows no more
     * than it ever had open of ours at once, and at least one. Not lower: a refusal also comes while one
     * of ours is still closing on its side.
     */
    synchronized void serverRefused() {
        int allowed = Math.max(1, peakConfirmed);
        if (allowed < cap) {
            cap = allowed;
            lowered = true;
        }
    }

    synchronized int cap() { return cap; }

    synchronized int open() { return open; }

    synchronized int peak() { return peak; }

    int maxChannels() { return maxChannels; }

    /** No channel or lane came before the caller's queue deadline: the command did not run. Not a timeout of the command. */
    static final class NoChannel extends IOException {
        NoChannel(String message) { super(message); }
    }

    /** "no free SSH channel on HOST within 30s: the server allows 2 sessions at once (MaxSessions) and 57 commands were ahead". */
    static NoChannel noFreeChannel(String host, Duration waited, Shortage s) {
        return new NoChannel("no free SSH channel on " + host + " within " + Durations.format(waited) + ": "
                + (s.lowered() ? "the server allows " + s.cap() + (s.cap() == 1 ? " session" : " sessions") + " at once (MaxSessions)"
                               : "max_channels " + s.cap() + (s.cap() == 1 ? " was" : " were") + " busy")
                + " and " + s.ahead() + (s.ahead() == 1 ? " command was" : " commands were") + " ahead");
    }

    /** The server kept refusing new channels (its MaxSessions) until the caller's queue deadline. */
    IOException refused(String why) {
        return new IOException("the server refused a new channel (" + why + ") until the timeout: "
                + "lower max_channels (now " + maxChannels + ") or raise MaxSessions");
    }
}
