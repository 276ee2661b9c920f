package io.triaready.transport.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * OpenSSH's ServerAliveInterval / ServerAliveCountMax=3 for one connection: every interval a
 * {@code keepalive@openssh.com} request that wants a reply (a refusal is a reply too); after 3 without
 * any, the connection is closed, so the next command reconnects instead of waiting on a dead peer.
 * (MINA's own heartbeat reads its settings before a session's own properties can be set, so it could
 * not honour a per-host interval.)
 */
final class Keepalive {
    static final int MAX_UNANSWERED = 3;
    private static final String REQUEST = "keepalive@openssh.com";

    private final ClientSession session;
    private final AtomicInteger unanswered = new AtomicInteger();
    private final ScheduledFuture<?> task;

    private Keepalive(ClientSession session, Duration interval, ScheduledExecutorService scheduler) {
        this.session = session;
        long ms = Math.max(1, interval.toMillis());
        this.task = scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Starts keepalives on {@code session}; none when {@code interval} is zero. */
    static Keepalive start(ClientSession session, Duration interval, ScheduledExecutorService scheduler) {
        return interval.isZero() ? null : new Keepalive(session, interval, scheduler);
    }

    private void tick() {
        if (!session.isOpen() || session.isClosing()) {
            task.cancel(false);
            return;
        }
        if (unanswered.incrementAndGet() > MAX_UNANSWERED) {
            task.cancel(false);
            session.close(true);
            return;
        }
        try {
            Buffer b = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, REQUEST.length() + 16);
            b.putString(REQUEST);
            b.putBoolean(true);
            session.request(b, REQUEST, (cmd, reply) -> unanswered.set(0));
        } catch (IOException | RuntimeException e) {
            task.cancel(false);
            session.close(true);
        }
    }

    void stop() { task.cancel(false); }
}
