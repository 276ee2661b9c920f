package io.triaready.checks.sql;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own on a free loopback port, with password (scram-sha-256) logins
 * over TCP, unlike the shared cluster's trust auth. initdb refuses root, so the cluster belongs to the
 * postgres user ({@code runuser}); {@link #close()} stops it and deletes its files.
 */
final class OwnPostgres implements AutoCloseable {
    final int port;
    final String password;
    private final Path dir;
    private final String bin;

    private OwnPostgres(int port, String password, Path dir, String bin) {
        this.port = port;
        this.password = password;
        this.dir = dir;
        this.bin = bin;
    }

    static OwnPostgres start(String password) throws Exception {
        String bin = binDir();
        Path dir = Files.createTempDirectory("tria-pg");
        Files.writeString(dir.resolve("pw"), password + "\n");
        sh(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        int port = io.triaready.datacheck.CheckHarness.closedPort();
        OwnPostgres pg = new OwnPostgres(port, password, dir, bin);
        try {
            sh(asPostgres(bin + "/initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth-host=scram-sha-256",
                    "--auth-local=trust", "--pwfile=" + dir.resolve("pw"), "-E", "UTF8", "--no-sync", "--no-instructions"));
            sh(asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "30", "-l", dir.resolve("log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=30", "start"));
        } catch (Throwable e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    String url() { return "jdbc:postgresql://127.0.0.1:" + port + "/postgres"; }

    /** A connection as the superuser, with the right password. */
    Connection admin() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        return new org.postgresql.Driver().connect(url(), p);
    }

    private static String binDir() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions != null) {
            for (File v : Stream.of(versions).sorted(Comparator.reverseOrder()).toList()) {
                if (new File(v, "bin/initdb").canExecute()) return v + "/bin";
            }
        }
        return fail("initdb is needed (/usr/lib/postgresql/*/bin)");
    }

    private static List<String> asPostgres(String... cmd) {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(cmd));
        return all;
    }

    private static void sh(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in 60s: " + out);
        }
        if (p.exitValue() != 0) fail(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                sh(asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            }
        } finally {
            sh(List.of("rm", "-rf", dir.toString()));
        }
    }
}
