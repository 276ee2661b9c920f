package io.triaready.archfixture.checks.gamma;

/** Allowed: a check type using what check types share. */
public final class Gamma implements io.triaready.archfixture.spi.Probe {
    public io.triaready.archfixture.checks.support.Shared shared;
}
