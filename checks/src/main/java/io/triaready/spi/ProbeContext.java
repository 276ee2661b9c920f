package io.triaready.spi;

import io.triaready.base.secret.Secrets;

/** What a probe gets for one observation. */
public interface ProbeContext {
    /**
     * The check's time: its own timeout, the moment it ends (the probe should give up, and throw, by
     * then; the engine enforces it too), how long it may wait for a slot on a shared resource, and where
     * such waits are reported ({@link Deadline}).
     */
    Deadline deadline();

    /** The host a {@link Scope#HOST} probe runs on. For {@link Scope#TARGET} probes: the local machine. */
    HostTransport host() throws ProbeException;

    Target target();

    /** Clients shared by every check of the run (one per endpoint), created on first use. */
    Session session();

    Secrets secrets();

    /** The id of the check being observed ("" outside a run). */
    default String checkId() { return ""; }

    /**
     * Where to connect to reach {@code host:port} of an endpoint. With {@code tunnel} null that is the
     * address itself; with {@code tunnel: ssh} it is a local port forwarded through the target's SSH
     * connection (its first host), opened once per run and shared.
     */
    default java.net.InetSocketAddress reach(String host, int port, String tunnel) throws ProbeException {
        if (tunnel == null || tunnel.isBlank() || tunnel.equals("none")) return java.net.InetSocketAddress.createUnresolved(host, port);
        throw new ProbeException("tunnel '" + tunnel + "' is not available here");
    }
}
