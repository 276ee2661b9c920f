package io.triaready.transport.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Port forwarding: local addresses ({@code 127.0.0.1:port}) forwarded to {@code host:port} as seen
 * from a connection's server (a database behind it, or the next hop of a proxy_jump). Opened once per
 * (host, port) for the run; they die with their session and are opened again after a reconnect.
 */
final class Tunnels {
    private final String label;
    private final LiveSession live;
    /** The session now, without reconnecting: a known forward of an open session is reused as it is. */
    private final Supplier<ClientSession> current;
    private final Map<String, InetSocketAddress> forwards = new HashMap<>();

    Tunnels(String label, LiveSession live, Supplier<ClientSession> current) {
        this.label = label;
        this.live = live;
        this.current = current;
    }

    /** A local address forwarded to {@code host:port} through the connection's server. */
    InetSocketAddress forward(String host, int port, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        String key = host + ":" + port;
        synchronized (forwards) {
            InetSocketAddress existing = forwards.get(key);
            ClientSession session = current.get();
            if (existing != null && session != null && session.isOpen()) return existing;
        }
        ClientSession s = live.get(timeout);
        synchronized (forwards) {
            InetSocketAddress existing = forwards.get(key);
            if (existing != null) return existing;
            SshdSocketAddress bound;
            try {
                bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot forward a local port to " + key + " through " + label + ": " + SshSettings.oneLine(e), e);
            }
            InetSocketAddress local = new InetSocketAddress("127.0.0.1", bound.getPort());
            forwards.put(key, local);
            return local;
        }
    }

    /** The session they ran through is gone: they died with it. */
    void forget() {
        synchronized (forwards) {
            forwards.clear();
        }
    }
}
