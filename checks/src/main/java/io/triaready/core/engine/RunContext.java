package io.triaready.core.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import io.triaready.base.secret.Secrets;
import io.triaready.spi.Deadline;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.local.SecretSafeHost;
import io.triaready.transport.tunnel.Tunnels;

/**
 * The engine's {@link ProbeContext} for one attempt of one check on one host (or the target). Its
 * {@link Deadline} is the check's ({@link Deadline#forCheck}): it moves out by the time a transport
 * reports waiting for a slot, never past the run's deadline.
 */
final class RunContext implements ProbeContext {
    private final Deadline deadline;
    private final HostSpec host;
    private final Target target;
    private final Session session;
    private final Secrets secrets;
    private final HostConnectors connectors;
    private final String checkId;

    RunContext(String checkId, Duration timeout, Instant runDeadline, HostSpec host, Target target, Session session, Secrets secrets,
               HostConnectors connectors) {
        this.checkId = checkId;
        this.deadline = Deadline.forCheck(timeout, runDeadline);
        this.host = host;
        this.target = target;
        this.session = session;
        this.secrets = secrets;
        this.connectors = connectors;
    }

    @Override
    public Deadline deadline() { return deadline; }

    @Override
    public HostTransport host() throws ProbeException {
        return connect(host == null ? HostSpec.LOCAL : host);
    }

    private HostTransport connect(HostSpec spec) throws ProbeException {
        try {
            // no secret on a command line: commands get them through stdin and their environment
            return SecretSafeHost.of(connectors.connect(spec, session, deadline.remaining()), secrets);
        } catch (ProbeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while connecting to " + spec.name());
        } catch (Exception e) {
            throw new ProbeException(spec.name() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    @Override
    public String checkId() { return checkId; }

    @Override
    public Target target() { return target; }

    @Override
    public Session session() { return session; }

    @Override
    public Secrets secrets() { return secrets; }

    /** {@code tunnel: ssh} forwards through the target's first SSH host; the forward is opened once per run. */
    @Override
    public InetSocketAddress reach(String remoteHost, int remotePort, String tunnel) throws ProbeException {
        return Tunnels.reach(target, connectors, session, remoteHost, remotePort, tunnel, deadline.remaining());
    }
}
