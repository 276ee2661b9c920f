package io.triaready.archfixture.checks.alpha;

/** VIOLATION: one check type imports another. */
public final class Alpha implements io.triaready.archfixture.spi.Probe {
    public io.triaready.archfixture.checks.beta.Beta beta;
}
