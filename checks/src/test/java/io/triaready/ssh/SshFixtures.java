package io.triaready.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.check.Session;
import io.triaready.target.HostSpec;
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
}
