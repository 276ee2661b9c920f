package io.triaready.checks.support;

import io.triaready.spi.Probe;
import io.triaready.spi.Scope;

/** A probe that runs once per run, from the auditing machine. */
public interface TargetProbe extends Probe {
    @Override
    default Scope scope() { return Scope.TARGET; }
}
