package io.triaready.transport.redis;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.triaready.base.net.TrustAll;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.pool.BoundedPool;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The run's connections to one Redis endpoint (per URL, database, user, password, TLS settings and
 * tunnel), shared by every redis check: a small pool ({@link #MAX_CONNECTIONS}), so that a command
 * that hangs holds one connection while the other checks use others. Each command gets the check's
 * remaining time as its socket timeout, so a hung server costs one timeout; a connection whose command
 * timed out or broke is closed, never pooled again. A read that fails because the server had closed an
 * idle pooled connection (its {@code timeout}, a restart) is sent once more on a new connection. The
 * socket is opened here (not by Jedis) so that TLS checks the real host name even when the bytes go
 * through an SSH tunnel.
 */
public final class RedisClient implements AutoCloseable {
    /** Connections one run opens to one Redis endpoint at most (see docs/reference/redis.md). */
    static final int MAX_CONNECTIONS = 4;

    /** What a command does with the connection. */
    @FunctionalInterface
    public interface Command<T> {
        T run(Jedis jedis);
    }

    /** The time an observation's commands spent on the wire, without waiting for a connection or opening one. */
    public static final class OnWire {
        private long nanos;
        private boolean resent;

        synchronized void add(long n) { nanos += n; }

        public synchronized Duration total() { return Duration.ofNanos(nanos); }

        synchronized void resent() { resent = true; }

        /** A command was sent again on a new connection after the server had closed a pooled one. */
        public synchronized boolean wasResent() { return resent; }
    }

    private final RedisUrl url;
    private final InetSocketAddress address;
    private final String user;
    private final String password;
    private final int db;
    private final boolean insecure;
    private final Secrets secrets;
    private final String where;
    private final BoundedPool<Jedis> pool;

    private RedisClient(RedisUrl url, InetSocketAddress address, String user, String password, int db, boolean insecure, Secrets secrets) {
        this.url = url;
        this.address = address;
        this.user = user;
        this.password = password;
        this.db = db;
        this.insecure = insecure;
        this.secrets = secrets;
        this.where = url.display() + (db != 0 ? " db " + db : "");
        this.pool = new BoundedPool<>(MAX_CONNECTIONS, "redis " + where, RedisClient::closeQuietly);
    }

    /** Connects now, so a dead server or a wrong password fails once for every check that shares this client. */
    public static RedisClient connect(RedisUrl url, InetSocketAddress address, String user, String password, int db, boolean insecure,
                               Secrets secrets, Duration timeout) throws ProbeException {
        RedisClient c = new RedisClient(url, address, user, password, db, insecure, secrets);
        c.pool.adopt(c.open(timeout));
        return c;
    }

    public String where() { return where; }

    private Jedis open(Duration timeout) throws ProbeException {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ms)
                .socketTimeoutMillis(ms)
                .database(db)
                .clientName("tria-ready")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (password != null) config.password(password);
        if (user != null) config.user(user);
        JedisClientConfig cfg = config.build();
        try {
            return new Jedis(new Connection(socketFactory(ms), cfg));
        } catch (JedisException e) {
            throw new ProbeException("cannot connect to redis " + where + ": " + describe(e, timeout), e);
        }
    }

    private JedisSocketFactory socketFactory(int timeoutMs) {
        return () -> {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
                InetSocketAddress target = address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
                socket.connect(target, timeoutMs);
                socket.setSoTimeout(timeoutMs);
                if (!url.tls()) return socket;
                SSLSocket tls = (SSLSocket) tlsFactory().createSocket(socket, url.host(), url.port(), true);
                SSLParameters params = tls.getSSLParameters();
                if (!insecure) params.setEndpointIdentificationAlgorithm("HTTPS"); // host name checked against the certificate
                if (!url.host().matches("[0-9.]+|.*:.*")) params.setServerNames(java.util.List.of(new SNIHostName(url.host())));
                tls.setSSLParameters(params);
                tls.startHandshake();
                return tls;
            } catch (IOException | RuntimeException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already failing
                }
                throw new JedisConnectionException(e);
            }
        };
    }

    private SSLSocketFactory tlsFactory() {
        if (!insecure) return (SSLSocketFactory) SSLSocketFactory.getDefault();
        try {
            return TrustAll.context().getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs one read-only command on a pooled connection with the time left until {@code ctx}'s deadline.
     * Waiting for a connection is reported to {@code ctx} as queued; the command's own time is added to
     * {@code wire}.
     */
    public <T> T call(ProbeContext ctx, OnWire wire, Command<T> command) throws ProbeException {
        boolean resent = false;
        while (true) {
            BoundedPool.Lease<Jedis> lease = pool.acquire(ctx, this::open);
            Jedis jedis = lease.connection();
            boolean healthy = false;
            try {
                Duration left = ctx.deadline().remaining();
                if (left.isZero()) throw new ProbeException("no time left for the redis command (timeout reached)");
                jedis.getConnection().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left.toMillis())));
                long started = System.nanoTime();
                T result = command.run(jedis);
                wire.add(System.nanoTime() - started); // an attempt on a connection the server closed is not counted
                healthy = true;
                return result;
            } catch (JedisConnectionException e) {
                if (!resent && lease.reused() && !timedOut(e)) {
                    // the server closed this idle connection (and likely the others): once more on a new one
                    pool.dropIdle();
                    resent = true;
                    wire.resent();
                    continue;
                }
                throw new ProbeException("redis " + where + ": " + describe(e, ctx.deadline().timeout()), e);
            } catch (JedisException e) {
                // an error reply (WRONGTYPE, NOPERM...): the connection is fine
                healthy = !jedis.getConnection().isBroken();
                throw new ProbeException("redis " + where + ": " + describe(e, ctx.deadline().timeout()), e);
            } finally {
                pool.release(jedis, healthy && !jedis.getConnection().isBroken());
            }
        }
    }

    private static boolean timedOut(JedisException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) return true;
        }
        return false;
    }

    private static void closeQuietly(Jedis jedis) {
        try {
            jedis.close();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
    }

    private String describe(JedisException e, Duration timeout) {
        String msg;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = e.getMessage() == null ? "" : e.getMessage();
        boolean tlsFailure = false;
        for (Throwable t = e; t != null && !tlsFailure; t = t.getCause() == t ? null : t.getCause()) {
            tlsFailure = t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException;
        }
        if (text.startsWith("NOAUTH")) {
            msg = "the server requires a password (add password: to the redis endpoint)";
        } else if (text.startsWith("NOPERM")) {
            msg = "permission denied: " + text.substring("NOPERM".length()).strip() + " (the endpoint's ACL user may not run it)";
        } else if (e instanceof JedisAccessControlException || text.startsWith("WRONGPASS")) {
            msg = "authentication failed (wrong user or password)";
        } else if (root instanceof SocketTimeoutException) {
            msg = "no answer within " + Durations.format(timeout) + " (server hung or unreachable)";
        } else if (root instanceof ConnectException ce) {
            msg = ce.getMessage() == null ? "connection refused" : ce.getMessage();
        } else if (tlsFailure) {
            msg = "TLS: " + root.getMessage() + (insecure ? "" : " (insecure: true on the endpoint skips certificate checks)");
        } else {
            msg = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        }
        msg = msg.replace('\n', ' ').replace('\r', ' ');
        if (password != null && !password.isEmpty()) msg = msg.replace(password, Secrets.MASK);
        return secrets.mask(msg);
    }

    /** Closes every connection, those still in use included (the run is over). */
    @Override
    public void close() {
        pool.close();
    }
}
