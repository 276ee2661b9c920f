package io.triaready.archfixture.core.engine;

/** VIOLATION: core imports builtin (only builtin and the app may). */
public final class Engine {
    public io.triaready.archfixture.spi.Probe probe;
    public Object all() { return io.triaready.archfixture.builtin.BuiltIns.all(); }
}
