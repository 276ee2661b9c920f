package io.triaready.checks.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.triaready.base.json.Json;

/**
 * A real HTTP(S) server on a free loopback port, serving what readiness checks look at: a JSON
 * /health, a Prometheus /metrics, a 404, redirects, an /echo that records what it received, and slow
 * endpoints. Slow handlers wait on a latch that {@link #close()} releases, so no thread outlives a test.
 */
public final class TestHttpServer implements AutoCloseable {
    /** What the server received: for asserting what the probe sent. */
    record Received(String method, String path, String query, Map<String, String> headers, String body, InetSocketAddress remote) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch release = new CountDownLatch(1);
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    private TestHttpServer(HttpServer server) {
        this.server = server;
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestHttpServer http() throws IOException {
        return new TestHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    public static TestHttpServer https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new TestHttpServer(s);
    }

    public int port() { return server.getAddress().getPort(); }

    public String base() { return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port(); }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
            String path = x.getRequestURI().getPath();
            received.add(new Received(x.getRequestMethod(), path, x.getRequestURI().getRawQuery(), headers, body, x.getRemoteAddress()));
            switch (path) {
                case "/health" -> send(x, 200, "application/json",
                        "{\"status\": \"ok\", \"chromadb\": \"connected\", \"services\": {\"redis\": \"connected\", \"xero\": \"disconnected\"}}");
                case "/metrics" -> send(x, 200, "text/plain; version=0.0.4",
                        "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total 42\n");
                case "/old" -> {
                    x.getResponseHeaders().add("Location", "/health");
                    send(x, 302, "text/plain", "moved");
                }
                case "/twice" -> {
                    x.getResponseHeaders().add("Location", "/old");
                    send(x, 301, "text/plain", "moved");
                }
                case "/loop" -> {
                    x.getResponseHeaders().add("Location", "/loop");
                    send(x, 302, "text/plain", "again");
                }
                case "/echo" -> {
                    Map<String, Object> echo = new LinkedHashMap<>();
                    echo.put("method", x.getRequestMethod());
                    echo.put("body", body);
                    send(x, 200, "application/json", Json.mapper().writeValueAsString(echo));
                }
                case "/html" -> send(x, 200, "text/html; charset=utf-8", "<html><body>We are having trouble processing your request</body></html>");
                case "/multi" -> {
                    x.getResponseHeaders().add("X-Multi", "a");
                    x.getResponseHeaders().add("X-Multi", "b");
                    send(x, 200, "text/plain", "two headers");
                }
                case "/big" -> {
                    x.getResponseHeaders().add("Content-Type", "text/plain");
                    x.sendResponseHeaders(200, 0); // chunked
                    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    try (OutputStream out = x.getResponseBody()) {
                        for (int i = 0; i < 80; i++) out.write(chunk); // 5 MB
                    } catch (IOException ignored) {
                        // the client stopped reading after its cap: expected
                    }
                }
                case "/slow" -> {
                    long ms = Long.parseLong(x.getRequestURI().getQuery().replace("ms=", ""));
                    await(ms);
                    send(x, 200, "text/plain", "slow");
                }
                case "/trickle" -> {
                    // headers at once, then one byte every 100ms: only a whole-call deadline stops this
                    x.getResponseHeaders().add("Content-Type", "text/plain");
                    x.sendResponseHeaders(200, 0);
                    try (OutputStream out = x.getResponseBody()) {
                        for (int i = 0; i < 100 && !await(100); i++) {
                            out.write('.');
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // the client gave up: expected
                    }
                }
                default -> send(x, 404, "text/plain", "not found");
            }
        }
    }

    /** Waits {@code ms} or until the server closes; true when it closed. */
    private boolean await(long ms) {
        try {
            return release.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    /**
     * Accepts TCP connections and never says a word (a hung service), or answers every connection
     * with fixed bytes at once, whatever it is sent (a plain-HTTP port asked for TLS, say).
     */
    static final class Silent implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
        private final Thread acceptor;

        Silent() throws IOException { this(null); }

        Silent(byte[] answer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        accepted.add(s);
                        if (answer != null) {
                            try {
                                s.getOutputStream().write(answer);
                                s.getOutputStream().flush();
                            } catch (IOException ignored) {
                                // the client went away: fine
                            }
                        }
                    }
                } catch (IOException closed) {
                    // close() ends the loop
                }
            }, "test-silent");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() { return socket.getLocalPort(); }

        int connections() { return accepted.size(); }

        /** True when the client closed (or reset) accepted connection {@code i} within {@code ms}. */
        boolean clientClosed(int i, int ms) throws IOException {
            Socket s = accepted.get(i);
            s.setSoTimeout(ms);
            try {
                return s.getInputStream().read(new byte[64 * 1024]) < 0 || drainedToEnd(s);
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        private static boolean drainedToEnd(Socket s) throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                if (s.getInputStream().read(buf) < 0) return true;
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

    /** A loopback port nothing listens on (bound, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
