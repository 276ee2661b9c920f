package io.triaready.transport.local;

import java.time.Duration;

import io.triaready.spi.HostConnector;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Session;

/** The "local" transport: checks run on this machine, no connection to open. */
public final class LocalConnector implements HostConnector {
    @Override
    public String transport() { return "local"; }

    @Override
    public HostTransport connect(HostSpec host, Session session, Duration timeout) { return LocalHost.INSTANCE; }
}
