package io.triaready.archfixture.checks.support;

/** Allowed: what check types share (gamma uses it). VIOLATION: the shared part importing a check type. */
public final class Shared {
    public io.triaready.archfixture.checks.alpha.Alpha alpha;
}
