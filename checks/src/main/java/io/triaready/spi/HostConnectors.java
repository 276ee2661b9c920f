package io.triaready.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;


/** The transports hosts can be reached by. A new transport is one class and one line in
 * {@code io.triaready.builtin.BuiltIns#hostConnectors()}. */
public final class HostConnectors {
    private final Map<String, HostConnector> byName = new LinkedHashMap<>();

    public HostConnectors(List<HostConnector> connectors) {
        for (HostConnector c : connectors) byName.put(c.transport(), c);
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

    /** {@link HostConnector#parse} of the host's transport (null for an unknown transport). */
    public Object parse(String transport, HostSettings settings, ParseContext ctx) {
        HostConnector c = byName.get(transport);
        return c == null ? null : c.parse(settings, ctx);
    }

    /** Every registered transport, in registration order. */
    public java.util.Collection<HostConnector> all() { return byName.values(); }
}
