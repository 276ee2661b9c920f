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

    public HostTransport connect(HostSpec host, Session session, Duration timeout) throws Exception {
        HostConnector c = byName.get(host.transport());
        if (c == null) throw new ProbeException("no transport '" + host.transport() + "' for host " + host.name());
        return c.connect(host, session, timeout);
    }

    public boolean supports(String transport) { return byName.containsKey(transport); }

    static final class LocalConnector implements HostConnector {
        @Override
        public String transport() { return "local"; }

        @Override
        public HostTransport connect(HostSpec host, Session session, Duration timeout) { return LocalHost.INSTANCE; }
    }
}
