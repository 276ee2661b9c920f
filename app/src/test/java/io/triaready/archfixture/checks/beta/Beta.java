package io.triaready.archfixture.checks.beta;

public final class Beta implements io.triaready.archfixture.spi.Probe {}
