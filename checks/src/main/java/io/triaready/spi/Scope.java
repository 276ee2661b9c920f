package io.triaready.spi;

/** Where a probe runs. */
public enum Scope {
    /** Once per run, from the auditing machine (HTTP, TCP, SQL, Redis, metrics). */
    TARGET,
    /** On every host of the target, through its {@link io.triaready.spi.HostTransport} (command, file, service, ...). */
    HOST
}
