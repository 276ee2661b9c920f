package io.triaready.transport.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * ssh-agent support without native libraries. MINA's own Unix agent needs tomcat-native (APR); the
 * protocol is tiny, so this speaks it over a JDK 16+ Unix domain socket. MINA's
 * {@link AbstractAgentProxy} encodes the messages (REQUEST_IDENTITIES, SIGN_REQUEST with the
 * rsa-sha2-256/512 flags); this class only moves the bytes. No agent forwarding.
 */
final class AgentSupport implements SshAgentFactory {
    /** The agent socket of one connection, set in its connect context; absent means "no agent". */
    static final AttributeKey<Path> SOCKET = new AttributeKey<>();

    /** Largest answer accepted from an agent: a few hundred keys, not a memory bomb. */
    private static final int MAX_MESSAGE = 256 * 1024;

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) { return List.of(); }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        Path socket = SshRuntime.attribute(session, SOCKET);
        return socket == null ? new NoAgent() : new UnixAgent(socket);
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) throws IOException {
        throw new IOException("agent forwarding is not supported");
    }

    /** Identities listed by the agent at {@code socket}; for messages ("agent (2 keys)") and tests. */
    static int countIdentities(Path socket) {
        try (UnixAgent a = new UnixAgent(socket)) {
            int n = 0;
            for (Map.Entry<PublicKey, String> ignored : a.getIdentities()) n++;
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One connection to a running ssh-agent, opened on the first request. */
    static final class UnixAgent extends AbstractAgentProxy {
        private final Path socket;
        private SocketChannel channel;

        UnixAgent(Path socket) {
            super(null);
            this.socket = socket;
        }

        @Override
        protected synchronized Buffer request(Buffer buffer) throws IOException {
            if (channel == null) {
                try {
                    channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    throw new IOException("cannot reach ssh-agent at " + socket + ": " + SshSettings.oneLine(e), e);
                }
            }
            ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
            while (out.hasRemaining()) channel.write(out);
            ByteBuffer len = ByteBuffer.allocate(4);
            readFully(len);
            int n = len.flip().getInt();
            if (n <= 0 || n > MAX_MESSAGE) throw new IOException("ssh-agent sent an invalid message length " + n);
            ByteBuffer body = ByteBuffer.allocate(n);
            readFully(body);
            return new ByteArrayBuffer(body.array()); // starts at the message type, as AbstractAgentProxy expects
        }

        private void readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) throw new EOFException("ssh-agent closed the connection");
            }
        }

        @Override
        public synchronized void close() throws IOException {
            super.close();
            if (channel != null) channel.close();
            channel = null;
        }

        @Override
        public boolean isOpen() { return true; }
    }

    /** What a connection without an agent gets: no identities. */
    private static final class NoAgent implements SshAgent {
        @Override
        public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() { return List.of(); }

        @Override
        public Map.Entry<String, byte[]> sign(org.apache.sshd.common.session.SessionContext session, PublicKey key, String algo, byte[] data)
                throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public void addIdentity(java.security.KeyPair key, String comment, org.apache.sshd.agent.SshAgentKeyConstraint... constraints)
                throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public void removeIdentity(PublicKey key) throws IOException { throw new IOException("no ssh-agent"); }

        @Override
        public void removeAllIdentities() throws IOException { throw new IOException("no ssh-agent"); }

        @Override
        public boolean isOpen() { return true; }

        @Override
        public void close() { }
    }
}
