package io.triaready.archfixture.transport.ssh;

/** Allowed: its own transport, a shared transport, spi. */
public final class Ssh {
    public Object pool = new io.triaready.archfixture.transport.pool.Pool();
    public io.triaready.archfixture.spi.Probe probe;
}
