package io.triaready.spi;

import java.net.InetSocketAddress;

/** A host connection that can forward a local port to an address seen from that host (SSH local forwarding). */
public interface Tunneling {
    /** Opens a local listening port forwarded to {@code remoteHost:remotePort} from the host's side; returns its address. */
    InetSocketAddress forward(String remoteHost, int remotePort) throws Exception;
}
