package io.triaready.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;

import jdk.net.ExtendedSocketOptions;

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
 */
final class QuickAckIo extends Nio2ServiceFactoryFactory {
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

    private static final class Session extends Nio2Session {
        private volatile boolean supported = true;

        Session(Nio2Service service, FactoryManager manager, IoHandler handler, AsynchronousSocketChannel socket,
                SocketAddress acceptanceAddress) throws IOException {
            super(service, manager, handler, socket, acceptanceAddress);
        }

        @Override
        protected void handleReadCycleCompletion(ByteBuffer buffer, Readable reader, Nio2CompletionHandler<Integer, Object> handler,
                                                 Integer result, Object attachment) {
            if (supported) {
                try {
                    getSocket().setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                } catch (IOException | UnsupportedOperationException e) {
                    supported = false;  // not Linux, or the socket is closing: plain TCP behaviour
                }
            }
            super.handleReadCycleCompletion(buffer, reader, handler, result, attachment);
        }
    }
}
