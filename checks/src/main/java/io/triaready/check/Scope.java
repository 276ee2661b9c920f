package io.triaready.check;

/** Where a probe runs. */
public enum Scope {
    /** Once per run, from the auditing machine (HTTP, TCP, SQL, Redis, metrics). */
    TARGET,
    /** On every host of the target, through its {@link io.triaready.host.HostTransport} (command, file, service, ...). */
    HOST
}
