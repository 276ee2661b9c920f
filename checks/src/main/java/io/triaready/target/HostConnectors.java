package io.triaready.target;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.check.ProbeException;
import io.triaready.check.Session;
import io.triaready.host.HostTransport;
import io.triaready.host.LocalHost;

/** The transports hosts can be reached by. A new transport is one class and one line in {@link #builtins()}. */
public final class HostConnectors {
    private final Map<String, HostConnector> byName = new LinkedHashMap<>();

    public HostConnectors(List<HostConnector> connectors) {
        for (HostConnector c : connectors) byName.put(c.transport(), c);
    }

    public static HostConnectors builtins() {
        return new HostConnectors(List.of(
                new LocalConnector(),
                new io.triaready.ssh.SshConnector()));
    }

    /**
     * Warms every transport up ({@link HostConnector#warmUp}) on a daemon thread, for commands that are
     * about to connect (audit, fix). Why: an SSH connection cannot start before MINA's client is set
     * up, ~0.1 s of class loading and crypto provider initialisation on a cold JVM; done here it
     * overlaps with parsing the command line and reading the inventory instead of following them.
     * Measured behind 25 ms each way: the 40-check suite 0.95 -> 0.90 s (medians of 10, alternating).
     * A run without SSH hosts pays it in CPU on another core only.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            for (HostConnector c : builtins().byName.values()) {
                try {
                    c.warmUp();
                } catch (RuntimeException | LinkageError ignored) {
                    // only a head start: the real connection reports what is wrong
                }
            }
        }, "tria-warm-up");
        t.setDaemon(true);
        t.start();
    }

    public HostTransport connect(HostSpec host, Session session, Duration timeout) throws Exception {
        HostConnector c = byName.get(host.transport());
        if (c == null) throw new ProbeException("no transport '" + host.transport() + "' for host " + host.name());
        return c.connect(host, session, timeout);
    }

    public boolean supports(String transport) { return byName.containsKey(transport); }

    /** The inventory settings a transport knows (empty when it does not say). */
    public java.util.Set<String> settingNames(String transport) {
        HostConnector c = byName.get(transport);
        return c == null ? java.util.Set.of() : c.settingNames();
    }

    static final class LocalConnector implements HostConnector {
        @Override
        public String transport() { return "local"; }

        @Override
        public HostTransport connect(HostSpec host, Session session, Duration timeout) { return LocalHost.INSTANCE; }
    }
}
