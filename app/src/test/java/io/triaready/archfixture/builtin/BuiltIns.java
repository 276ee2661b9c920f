package io.triaready.archfixture.builtin;

public final class BuiltIns {
    private BuiltIns() {}

    public static Object all() { return new io.triaready.archfixture.checks.alpha.Alpha(); }
}
