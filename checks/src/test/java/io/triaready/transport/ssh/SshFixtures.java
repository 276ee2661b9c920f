package io.triaready.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.spi.HostSpec;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;

/** Shared set-up for the SSH tests: a connector that never looks at this machine's real ~/.ssh or agent. */
final class SshFixtures {
    private SshFixtures() {}

    /** A connector whose HOME is {@code home} and whose environment is {@code env} (no SSH_AUTH_SOCK unless given). */
    static SshConnector connector(Path home, Map<String, String> env) {
        Map<String, String> copy = new HashMap<>(env);
        return new SshConnector(new SshSettings.Environment(home, "root", copy::get));
    }

    static SshConnector connector(Path home) { return connector(home, Map.of()); }

    /** Settings for root@sshd with one key and a known_hosts file, no ssh config; more as key, value pairs. */
    static Map<String, Object> settings(Sshd sshd, Path identity, Path knownHosts, Object... more) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", sshd.host());
        s.put("port", sshd.port());
        s.put("user", "root");
        if (identity != null) s.put("identity", identity.toString());
        s.put("known_hosts", knownHosts.toString());
        s.put("ssh_config", "none");
        s.put("connect_timeout", "5s");
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) s.remove((String) more[i]);
            else s.put((String) more[i], more[i + 1]);
        }
        return s;
    }

    static SshHost connect(SshConnector connector, Session session, String name, Map<String, Object> settings) throws Exception {
        return connector.connectSsh(new HostSpec(name, "ssh", settings), session, Duration.ofSeconds(20));
    }

    /**
     * One real sshd that authorizes one ECDSA key, its known_hosts, and a connector with a clean HOME:
     * the set-up a test class of SSH behaviour starts once.
     */
    record Server(Sshd sshd, Path key, Path knownHosts, SshConnector connector) implements AutoCloseable {
        /** Starts it under {@code dir}, with {@code configLines} added to sshd's config. */
        static Server start(Path dir, String... configLines) throws Exception {
            Path key = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, null, "client");
            Sshd.Builder b = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key));
            for (String line : configLines) b.config(line);
            Sshd sshd = b.start();
            return new Server(sshd, key, sshd.writeKnownHosts(dir.resolve("known_hosts")), SshFixtures.connector(dir.resolve("home")));
        }

        /** {@link SshFixtures#settings} for this server; more as key, value pairs. */
        Map<String, Object> settings(Object... more) { return SshFixtures.settings(sshd, key, knownHosts, more); }

        /** Host "web" on this server, with these settings added. */
        SshHost connect(Session session, Object... more) throws Exception {
            return SshFixtures.connect(connector, session, "web", settings(more));
        }

        @Override
        public void close() { sshd.close(); }
    }
}
