package io.triaready.spi;

import java.time.Duration;

import io.triaready.base.secret.Secrets;

/** A plain {@link ProbeContext}: what the engine hands a probe, and what tests use to run one directly. */
public record BasicProbeContext(Deadline deadline, HostTransport hostTransport, Target target,
                                Session session, Secrets secrets) implements ProbeContext {
    public static BasicProbeContext of(Duration timeout, HostTransport host, Session session) {
        return new BasicProbeContext(Deadline.of(timeout), host, Target.local(), session, new Secrets());
    }

    @Override
    public HostTransport host() { return hostTransport; }
}
