package io.triaready.transport.tunnel;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.spi.Tunneling;

/**
 * Reaching an endpoint that is only open on the target's side: {@code tunnel: ssh} forwards a local
 * port through the target's first SSH host, once per run (the session keeps it), for checks and fix
 * steps alike.
 */
public final class Tunnels {
    private Tunnels() {}

    public static InetSocketAddress reach(Target target, HostConnectors connectors, Session session, String remoteHost, int remotePort,
                                          String tunnel, Duration timeout) throws ProbeException {
        if (tunnel == null || tunnel.isBlank() || tunnel.equals("none")) return InetSocketAddress.createUnresolved(remoteHost, remotePort);
        if (!tunnel.equals("ssh")) throw new ProbeException("unknown tunnel '" + tunnel + "' (use tunnel: ssh)");
        HostSpec via = target.hosts().stream().filter(h -> h.transport().equals("ssh")).findFirst()
                .orElseThrow(() -> new ProbeException("tunnel: ssh needs an SSH host, and target '" + target.name() + "' has none"));
        HostTransport t;
        try {
            t = connectors.connect(via, session, timeout);
        } catch (ProbeException e) {
            throw e;
        } catch (Exception e) {
            throw new ProbeException(via.name() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (!(t instanceof Tunneling tunneling)) throw new ProbeException("host " + via.name() + " cannot forward ports");
        try {
            return session.shared("tunnel:" + via.name() + ":" + remoteHost + ":" + remotePort, () -> tunneling.forward(remoteHost, remotePort));
        } catch (ProbeException e) {
            throw new ProbeException("tunnel through " + via.name() + " to " + remoteHost + ":" + remotePort + ": " + e.getMessage(), e);
        }
    }
}
