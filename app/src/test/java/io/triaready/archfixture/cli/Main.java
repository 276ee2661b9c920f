package io.triaready.archfixture.cli;

public final class Main {
    public Object all() { return io.triaready.archfixture.builtin.BuiltIns.all(); }
}
