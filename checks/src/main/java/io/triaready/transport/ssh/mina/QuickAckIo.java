package io.triaready.transport.ssh.mina;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayList;
import java.util.List;

import jdk.net.ExtendedSocketOptions;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * MINA's NIO2 transport, with every read acknowledged at once (TCP_QUICKACK, Linux; elsewhere a no-op).
 *
 * <p>Why: sshd leaves Nagle's algorithm on for connections without a terminal, so when it has two
 * small packets to send (a service accept and the answer to the request we sent right behind it; the
 * results of two commands), it holds the second until the first is acknowledged. Our kernel delays
 * that acknowledgement by up to 40 ms, hoping to piggyback it on data we have not got to send. Each
 * such stall cost ~40 ms on top of the round trip, measured with tcpdump behind 25 ms each way: one in
 * the login (MINA sends its first authentication request right behind the service request), and
 * more while the results of concurrent commands come back. The kernel drops quick-ack mode on its own,
 * so it is set again after every read: one setsockopt per read, and a few more bare ACKs on the wire.
 *
 * <p>MINA internals relied on (sshd-core 2.14.0; pinned by {@code QuickAckIoPinTest}):
 * {@code Nio2ServiceFactory.createSession(Nio2Service, IoHandler, AsynchronousSocketChannel, SocketAddress)}
 * makes every NIO2 session (so a subclass of {@code Nio2Session} can be put in its place);
 * {@code Nio2Session.handleReadCycleCompletion(...)} runs after every read; {@code Nio2Session.writeBuffer(Buffer)}
 * takes each encrypted packet, in order, under the session's encode lock, and its future may be
 * completed later ({@code AbstractIoWriteFuture.setValue}). None of these is a documented extension point.
 */
public final class QuickAckIo extends Nio2ServiceFactoryFactory {
    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new Nio2ServiceFactory(manager, newExecutor(), newExecutor()) {
            @Override
            public Nio2Session createSession(Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket,
                                             SocketAddress acceptanceAddress) throws Throwable {
                return new Session(service, getFactoryManager(), handler, socket, acceptanceAddress);
            }
        };
    }

    /**
     * Runs {@code writes} with the session's packets held back and then sent in one TCP write, so that
     * they reach sshd in one segment. Why: sshd answers what it read in one go with one write; requests
     * that arrive in several segments get several small answers, and sshd's Nagle holds every one after
     * the first until we acknowledge it: a round trip. Eight channel opens sent as they are made came back
     * in two bursts 50 ms apart behind 25 ms of delay.
     */
    public static void batch(ClientSession session, Runnable writes) {
        if (!(session.getIoSession() instanceof Session io)) {
            writes.run();
            return;
        }
        io.hold();
        try {
            writes.run();
        } finally {
            io.release();
        }
    }

    /** Whether {@code session} runs on this transport (for the transport's report of its speed tricks, and tests). */
    public static boolean installedOn(ClientSession session) { return session.getIoSession() instanceof Session; }

    /** Reads of {@code session} that went through the quick-ACK hook (for the tests that pin MINA's behaviour); -1 when not installed. */
    public static long quickAckedReads(ClientSession session) {
        return session.getIoSession() instanceof Session io ? io.reads : -1;
    }

    private static final class Session extends Nio2Session {
        private volatile boolean supported = true;
        /** Reads seen by {@link #handleReadCycleCompletion} (written by MINA's one reading thread of this session). */
        private volatile long reads;
        /** Packets written while held, in order, each with the future its writer got; null when not holding. */
        private List<Held> held;
        private final Object holdLock = new Object();

        private record Held(Buffer buffer, AbstractIoWriteFuture future) {}

        Session(Nio2Service service, FactoryManager manager, IoHandler handler, AsynchronousSocketChannel socket,
                SocketAddress acceptanceAddress) throws IOException {
            super(service, manager, handler, socket, acceptanceAddress);
        }

        @Override
        protected void handleReadCycleCompletion(ByteBuffer buffer, Readable reader, Nio2CompletionHandler<Integer, Object> handler,
                                                 Integer result, Object attachment) {
            reads++;
            if (supported) {
                try {
                    getSocket().setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                } catch (IOException | UnsupportedOperationException e) {
                    supported = false;  // not Linux, or the socket is closing: plain TCP behaviour
                }
            }
            super.handleReadCycleCompletion(buffer, reader, handler, result, attachment);
        }

        // MINA calls writeBuffer under its session's encode lock, in the order the packets were encrypted;
        // holding them in a list keeps that order.
        @Override
        public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
            synchronized (holdLock) {
                if (held != null) {
                    AbstractIoWriteFuture future = new AbstractIoWriteFuture(getRemoteAddress(), null) {};
                    held.add(new Held(buffer, future));
                    return future;
                }
            }
            return super.writeBuffer(buffer);
        }

        void hold() {
            synchronized (holdLock) {
                if (held == null) held = new ArrayList<>();
            }
        }

        void release() {
            synchronized (holdLock) {
                List<Held> packets = held;
                held = null;
                if (packets == null || packets.isEmpty()) return;
                int size = 0;
                for (Held h : packets) size += h.buffer().available();
                ByteArrayBuffer all = new ByteArrayBuffer(size, false);
                for (Held h : packets) all.putBuffer(h.buffer());
                try {
                    // still under holdLock: a packet written meanwhile must not overtake these
                    super.writeBuffer(all).addListener(f -> {
                        for (Held h : packets) h.future().setValue(f.isWritten() ? Boolean.TRUE : f.getException());
                    });
                } catch (IOException | RuntimeException e) {
                    for (Held h : packets) h.future().setValue(e);
                }
            }
        }
    }
}
