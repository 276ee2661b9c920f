package io.triaready.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import io.triaready.check.ProbeContext;
import io.triaready.check.ProbeException;
import io.triaready.check.Session;
import io.triaready.host.HostTransport;
import io.triaready.secret.Secrets;
import io.triaready.target.HostConnectors;
import io.triaready.target.HostSpec;
import io.triaready.target.Target;

/** The engine's {@link ProbeContext} for one attempt of one check on one host (or the target). */
final class RunContext implements ProbeContext {
    private final Duration timeout;
    private final Instant deadline;
    private final HostSpec host;
    private final Target target;
    private final Session session;
    private final Secrets secrets;
    private final HostConnectors connectors;
    private final String checkId;

    RunContext(String checkId, Duration timeout, HostSpec host, Target target, Session session, Secrets secrets, HostConnectors connectors) {
        this.checkId = checkId;
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.host = host;
        this.target = target;
        this.session = session;
        this.secrets = secrets;
        this.connectors = connectors;
    }

    @Override
    public Duration timeout() { return timeout; }

    @Override
    public Instant deadline() { return deadline; }

    @Override
    public HostTransport host() throws ProbeException {
        return connect(host == null ? HostSpec.LOCAL : host);
    }

    private HostTransport connect(HostSpec spec) throws ProbeException {
        try {
            // no secret on a command line: commands get them through stdin and their environment
            return io.triaready.host.SecretSafeHost.of(connectors.connect(spec, session, remaining()), secrets);
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
        return io.triaready.target.Tunnels.reach(target, connectors, session, remoteHost, remotePort, tunnel, remaining());
    }
}
