package io.triaready.archfixture.base;

/** VIOLATION: base depends on spi (upward), and spi depends on base: a package cycle. */
public final class Text {
    public static String of(io.triaready.archfixture.spi.Probe p) { return String.valueOf(p); }
}
