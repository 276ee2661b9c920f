package io.triaready.base.net;

/** A TCP port written in a URL or a host:port pair. */
public final class PortNumber {
    private PortNumber() {}

    /** The port {@code text} names (1-65535). @throws IllegalArgumentException "invalid port '...'" for anything else */
    public static int parse(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + text + "'");
        }
    }
}
