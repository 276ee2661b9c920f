package io.triaready.datacheck;

import java.time.Duration;

import io.triaready.base.secret.Secrets;
import io.triaready.spi.Deadline;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.local.LocalHost;

/**
 * A {@link ProbeContext} that keeps the queueing contract the way the engine does: time reported as
 * {@link Deadline#queued} moves the deadline out, waiting is bounded by a queue deadline three timeouts away,
 * and the test can read how long the probe said it waited.
 */
public final class QueueingContext implements ProbeContext {
    private final Deadline deadline;
    private final Target target;
    private final Session session;
    private final Secrets secrets;

    public QueueingContext(Duration timeout, Target target, Session session, Secrets secrets) {
        this.deadline = Deadline.forCheck(timeout, timeout.multipliedBy(3), null);
        this.target = target;
        this.session = session;
        this.secrets = secrets;
    }

    @Override
    public Deadline deadline() { return deadline; }

    /** What the probe reported as waiting for a slot. */
    public Duration queuedTotal() { return deadline.queued(); }

    @Override
    public HostTransport host() throws ProbeException { return LocalHost.INSTANCE; }

    @Override
    public Target target() { return target; }

    @Override
    public Session session() { return session; }

    @Override
    public Secrets secrets() { return secrets; }
}
