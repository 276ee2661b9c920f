package io.triaready.check;

import java.time.Duration;
import java.time.Instant;

import io.triaready.host.HostTransport;
import io.triaready.secret.Secrets;
import io.triaready.target.Target;

/** What a probe gets for one observation. */
public interface ProbeContext {
    /** The check's timeout: the probe should give up (and throw) by then; the engine enforces it too. */
    Duration timeout();

    /** {@code now + timeout}, capped by the run's deadline. */
    Instant deadline();

    /** Time left until {@link #deadline()}, never negative. */
    default Duration remaining() {
        Duration d = Duration.between(Instant.now(), deadline());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The host a {@link Scope#HOST} probe runs on. For {@link Scope#TARGET} probes: the local machine. */
    HostTransport host() throws ProbeException;

    Target target();

    /** Clients shared by every check of the run (one per endpoint), created on first use. */
    Session session();

    Secrets secrets();
}
