package io.triaready.transport.http;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.triaready.base.net.TrustAll;
import io.triaready.base.os.UserHome;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The run's HTTP clients: one connection pool and dispatcher for every HTTP-speaking check (http,
 * metrics, prometheus), so requests to one host reuse connections. Per-check settings (timeouts,
 * redirects) are derived with {@link OkHttpClient#newBuilder()}, which shares the pool.
 * Created on first use: a run without HTTP checks never loads OkHttp.
 *
 * <p>Connections are pooled by everything that authenticates them: OkHttp reuses a connection only for
 * the same scheme, host, port, proxy, socket factory, TLS socket factory, trust manager and host name
 * verifier, and each trust setting here (the JVM's store, a {@code ca_file}, {@code insecure}) has its
 * own client and thus its own TLS objects, so a connection set up without verification is never used
 * by a verifying check. No credential is bound to an HTTP connection (headers go with each request).
 *
 * <p>A read that fails on a kept-alive connection the server had closed is sent once more on a new one
 * ({@link ClosedConnectionRetry}); a POST goes on a new connection of its own ({@link #forCheck}).
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * The verifying client (TLS checked against the JVM's trust store). Verification is the JVM's own;
     * only its failure message is made readable ({@link ExplainingTrustManager}). Its TLS is set up by
     * the first connection that needs it ({@link LazyTls}).
     */
    public static OkHttpClient shared(ProbeContext ctx) throws ProbeException { return verifying(ctx).client(); }

    /** Whether the shared client has set its TLS up yet (for tests). */
    public static boolean tlsLoaded(ProbeContext ctx) throws ProbeException { return verifying(ctx).tls().loaded(); }

    private static Closing verifying(ProbeContext ctx) throws ProbeException {
        return ctx.session().shared("okhttp", () -> {
            LazyTls tls = new LazyTls();
            return new Closing(base().sslSocketFactory(tls.socketFactory, tls.trustManager).build(), tls);
        });
    }

    /**
     * A verifying client that also trusts the certificates in {@code caFile} (a private CA, say), one per
     * file and run, sharing the pool. A missing or unreadable file is a {@link ProbeException}.
     */
    public static OkHttpClient trusting(ProbeContext ctx, Path caFile) throws ProbeException {
        OkHttpClient verifying = shared(ctx);
        return ctx.session().shared("okhttp-ca:" + caFile.toAbsolutePath().normalize(), () -> {
            ExplainingTrustManager trust;
            try {
                trust = ExplainingTrustManager.withExtraAnchors(caFile);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ProbeException("ca_file " + caFile + " does not exist");
            } catch (java.io.IOException e) {
                throw new ProbeException("cannot read ca_file " + caFile + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                throw new ProbeException(ExplainingTrustManager.firstLine(e.getMessage()));
            }
            return new Shared(verifying.newBuilder().sslSocketFactory(tlsContext(trust).getSocketFactory(), trust).build());
        }).client();
    }

    /**
     * The client a check asked for: {@code insecure} (no verification), a {@code caFile} of extra trust
     * anchors ({@code ~/} expanded), or else the shared verifying one. Every HTTP-speaking check and fix
     * step chooses through here.
     */
    public static OkHttpClient select(ProbeContext ctx, boolean insecure, String caFile) throws ProbeException {
        if (insecure) return insecure(ctx);
        if (caFile != null) return trusting(ctx, UserHome.path(caFile));
        return shared(ctx);
    }

    /** A client that accepts any certificate and host name: only for checks that say {@code insecure: true}. */
    public static OkHttpClient insecure(ProbeContext ctx) throws ProbeException {
        OkHttpClient verifying = shared(ctx);
        return ctx.session().shared("okhttp-insecure", () -> {
            HostnameVerifier any = (host, session) -> true;
            return new Shared(verifying.newBuilder().sslSocketFactory(TrustAll.context().getSocketFactory(), TrustAll.MANAGER)
                    .hostnameVerifier(any).build());
        }).client();
    }

    /**
     * Marks a request that may be sent a second time although its method is not a read (a Prometheus
     * query sent as a form POST, say): {@code new Request.Builder().tag(Resendable.class, Resendable.YES)}.
     */
    public enum Resendable { YES }

    /**
     * Where a request that must not be sent twice goes: a pool that keeps no idle connection, so the
     * request always has a new connection of its own, which the server cannot have closed before.
     * Holding nothing idle, it can be shared by every run.
     */
    private static final class NoReuse {
        static final ConnectionPool POOL = new ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A per-check client with its own deadline, sharing the pool of {@code base}. */
    public static OkHttpClient withTimeout(OkHttpClient base, Duration timeout) {
        return base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
    }

    /**
     * A per-check client: its own deadline ({@code callTimeout} covers connect, request, response and
     * body, and cancels the call when it passes) and redirect policy, sharing the pool of {@code base}.
     */
    public static OkHttpClient forCheck(OkHttpClient base, Duration timeout, boolean followRedirects) {
        return forCheck(base, timeout, followRedirects, "GET");
    }

    /**
     * As {@link #forCheck(OkHttpClient, Duration, boolean)}, for a request with {@code method}. A method
     * that is not a read (POST) is never sent twice, so it must not meet a kept-alive connection the
     * server has closed: it gets a new connection, not one from the pool (one more handshake, and a
     * verdict that does not depend on what the server did with an idle connection).
     */
    public static OkHttpClient forCheck(OkHttpClient base, Duration timeout, boolean followRedirects, String method) {
        OkHttpClient.Builder b = base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                .followRedirects(followRedirects).followSslRedirects(followRedirects);
        if (!ClosedConnectionRetry.RESENDABLE_METHODS.contains(method)) b.connectionPool(NoReuse.POOL);
        return b.build();
    }

    /**
     * Request sent to {@code endNanos} ({@link System#nanoTime()} when the response was read) for a
     * call made by a client of this class: the target's time, without DNS, connect and TLS handshakes
     * or an attempt on a connection the server had closed. Null when the call left no trace.
     */
    public static Duration onWire(OkHttpClient client, okhttp3.Call call, long endNanos) {
        long n = CallTrace.of(client, call).onWireNanos(endNanos);
        return n < 0 ? null : Duration.ofNanos(n);
    }

    /** How many times the call's request was sent again after a kept-alive connection failed (0 or 1). */
    public static int resent(OkHttpClient client, okhttp3.Call call) { return CallTrace.of(client, call).resent(); }

    static SSLContext tlsContext(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        return tls;
    }

    private static OkHttpClient.Builder base() {
        ConnectionPool pool = new ConnectionPool(32, 1, java.util.concurrent.TimeUnit.MINUTES);
        CallTrace.Tracer tracer = new CallTrace.Tracer();
        return new OkHttpClient.Builder()
                .connectionPool(pool)
                // a hung or failing target must cost one timeout, not several silent re-tries...
                .retryOnConnectionFailure(false)
                // ...but a read on a kept-alive connection the server closed is sent again, once
                .eventListenerFactory(tracer)
                .addInterceptor(new ClosedConnectionRetry(tracer, pool))
                .followRedirects(true)
                .followSslRedirects(true);
    }

    /**
     * A variant of the verifying client: it shares that client's pool and dispatcher, which the
     * verifying client's {@link Closing} shuts down, so it has nothing of its own to close.
     */
    private record Shared(OkHttpClient client) {}

    /** Shuts the pool's threads down when the run's session closes. */
    private record Closing(OkHttpClient client, LazyTls tls) implements AutoCloseable {
        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
