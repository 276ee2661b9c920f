package io.triaready.checks.redis;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** A redis-server of the test's own on a free port (no persistence), stopped by {@link #close()}. */
public final class OwnRedis implements AutoCloseable {
    public final int port;
    public final String password;
    private final Process process;
    private final Path log;

    private OwnRedis(int port, String password, Process process, Path log) {
        this.port = port;
        this.password = password;
        this.process = process;
        this.log = log;
    }

    /** {@code extra} are more config directives as arguments, e.g. an ACL user. */
    public static OwnRedis start(String password, String... extra) throws Exception {
        int port = io.triaready.datacheck.CheckHarness.closedPort();
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no"));
        if (password != null) cmd.addAll(List.of("--requirepass", password));
        cmd.addAll(List.of(extra));
        if (!new File("/usr/bin/redis-server").canExecute()) fail("redis-server is needed (apt-get install -y redis-server)");
        Path log = Files.createTempFile("tria-redis", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OwnRedis r = new OwnRedis(port, password, p, log);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) break;
            try (Jedis j = r.admin()) {
                j.ping();
                return r;
            } catch (Exception e) {
                Thread.sleep(50);
            }
        }
        String out = Files.readString(log);
        r.close();
        return fail("redis-server on port " + port + " did not start: " + out);
    }

    Jedis admin() {
        DefaultJedisClientConfig.Builder c = DefaultJedisClientConfig.builder().timeoutMillis(2000);
        if (password != null) c.password(password);
        return new Jedis(new HostAndPort("127.0.0.1", port), c.build());
    }

    public String url() { return "redis://127.0.0.1:" + port; }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
