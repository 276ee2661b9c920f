package io.triaready.checks.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay to a server that can freeze the connections it carries: after {@link #freezeExisting()}
 * nothing more passes on the connections open at that moment (a half-dead TCP connection, a stalled
 * path), while new connections work. It stands between a real client and a real server; it is the
 * network, not the server.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Link> links = Collections.synchronizedList(new ArrayList<>());
    /** Bytes that reached the proxy on a frozen connection and were held back. */
    final AtomicLong held = new AtomicLong();

    private record Link(Socket client, Socket server, AtomicBoolean frozen) {}

    FreezingProxy(int upstream) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket client = socket.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
                    Link link = new Link(client, server, new AtomicBoolean());
                    links.add(link);
                    pipe(client.getInputStream(), server.getOutputStream(), link);
                    pipe(server.getInputStream(), client.getOutputStream(), link);
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }, "freezing-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() { return socket.getLocalPort(); }

    /** Every connection open now stops carrying bytes (both ways); later ones are unaffected. */
    void freezeExisting() {
        synchronized (links) {
            for (Link l : links) l.frozen().set(true);
        }
    }

    private void pipe(InputStream in, OutputStream out, Link link) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (in; out) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (link.frozen().get()) {
                        held.addAndGet(n);
                        continue; // swallowed: the other side never hears of it
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException done) {
                // either side closed
            }
        }, "freezing-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (links) {
            for (Link l : links) {
                l.client().close();
                l.server().close();
            }
        }
    }
}
