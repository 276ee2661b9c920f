package io.triaready.transport.ssh;

/**
 * The SSH transport's speed tricks, each a way around a round trip or a stall that plain SSH pays
 * (docs/performance.md). All of them are on by default, and all of them off with
 * {@link io.triaready.spi.SpeedTricks#OFF} ({@code --no-speed-tricks}, {@code TRIA_READY_SPEED_TRICKS=off}).
 * {@link SshHost#speedTricks()} says which a connection uses.
 */
public enum SpeedTrick {
    /** Connected (TCP and key exchange) while the command line was still read: a tentative session (the CLI's Headstart). */
    PRECONNECT,
    /** Public-key login in one round trip after the key exchange ({@link io.triaready.transport.ssh.mina.QuickAuth}). */
    QUICK_AUTH,
    /** Every read acknowledged at once, and writes batched into one segment ({@link io.triaready.transport.ssh.mina.QuickAckIo}). */
    QUICK_ACK_IO,
    /** The JDK's handshake crypto run once on throwaway keys while TCP connects ({@link CryptoWarmUp}; not on loopback). */
    CRYPTO_WARM_UP,
    /** Commands on long-lived shell lanes instead of a channel each ({@code exec: shell}; {@link ShellLane}). */
    LANES,
    /** Lanes opened right after login, ahead of need, in one write ({@link LanePool#openAhead}). */
    LANES_AHEAD,
    /** Several commands queued on one lane at once in a run that only reads ({@link LanePool}). */
    PIPELINING
}
