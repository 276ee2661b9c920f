package io.triaready.archfixture.transport.wire;

/** VIOLATION: a transport imports a check type, and another (not shared) transport. */
public final class Wire {
    public io.triaready.archfixture.checks.alpha.Alpha alpha;
    public io.triaready.archfixture.transport.ssh.Ssh ssh;
}
