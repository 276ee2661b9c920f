package io.triaready.spi;

import java.time.Duration;

import io.triaready.base.yaml.ParseContext;


/** Opens a {@link HostTransport} to a host of one transport kind ("local", "ssh"). Registered in {@link HostConnectors}. */
public interface HostConnector {
    String transport();

    /** The settings a host of this transport may have in an inventory (empty: not checked), for "unknown key" errors. */
    default java.util.Set<String> settingNames() { return java.util.Set.of(); }

    /**
     * Parses and range-checks one host's settings when the inventory is read, reporting each problem
     * to {@code ctx} at the node it was written at. Returns the typed settings that {@link #connect}
     * uses (kept in {@link HostSpec#parsed()}), or null: when there were problems, when a value is a
     * placeholder not known until the run, or when this transport parses at connect time.
     */
    default Object parse(HostSettings settings, ParseContext ctx) { return null; }

    /** Connects (or reuses the session's connection) within {@code timeout}. */
    HostTransport connect(HostSpec host, Session session, Duration timeout) throws Exception;

    /**
     * Loads and initialises this transport's code before its first connection is due, so that the
     * connection does not wait for it: called on a side thread while the command line and the inventory
     * are read ({@code BuiltIns.warmUpInBackground}). Must not connect, read keys, or start
     * anything that outlives the call.
     */
    default void warmUp() {}
}
