package io.triaready.checks.support;

import io.triaready.spi.Probe;
import io.triaready.spi.Scope;

/** A probe that runs on every host of the target, through its transport. */
public interface HostProbe extends Probe {
    @Override
    default Scope scope() { return Scope.HOST; }
}
