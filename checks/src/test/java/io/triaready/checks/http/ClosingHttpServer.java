package io.triaready.checks.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP server that closes connections the way real servers do, to test what a client
 * does with a kept-alive connection the server has closed:
 * <ul>
 *   <li>{@link Mode#HTTP10}: answers {@code HTTP/1.0 200} with a Content-Length (no Connection header)
 *       and closes, as {@code python3 -m http.server} and other HTTP/1.0 servers do;</li>
 *   <li>{@link Mode#DROP_SECOND}: answers the first request of a connection as HTTP/1.1 keep-alive,
 *       then reads the second request and closes without a word (a server that closed the connection
 *       while the request was on its way: keepalive_timeout expiring, a worker shutting down);</li>
 *   <li>{@link Mode#DROP_ALL}: reads every request and closes without answering (a broken server).</li>
 * </ul>
 * It counts the requests it read, by method, so a test sees what was re-sent.
 */
final class ClosingHttpServer implements AutoCloseable {
    enum Mode { HTTP10, DROP_SECOND, DROP_ALL }

    private final ServerSocket socket;
    private final Mode mode;
    private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    ClosingHttpServer(Mode mode) throws IOException {
        this.mode = mode;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = socket.accept();
                    accepted.add(s);
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "closing-http");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }, "closing-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() { return socket.getLocalPort(); }

    String base() { return "http://127.0.0.1:" + port(); }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n = 1; ; n++) {
                String head = readHead(in);
                if (head == null) return;
                String method = head.substring(0, head.indexOf(' '));
                skipBody(in, head);
                requests.add(method);
                if (mode == Mode.DROP_ALL || (mode == Mode.DROP_SECOND && n >= 2)) return;
                String status = mode == Mode.HTTP10 ? "HTTP/1.0 200 OK" : "HTTP/1.1 200 OK";
                byte[] body = ("ok " + method + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write((status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                if (!method.equals("HEAD")) out.write(body);
                out.flush();
                if (mode == Mode.HTTP10) return;
            }
        } catch (IOException gone) {
            // the client went away
        }
    }

    /** The request line and headers, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int l = a.length;
            if (l >= 4 && a[l - 4] == '\r' && a[l - 3] == '\n' && a[l - 2] == '\r' && a[l - 1] == '\n') {
                return b.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static void skipBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                long n = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                in.readNBytes((int) n);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (accepted) {
            for (Socket s : accepted) s.close();
        }
    }
}
