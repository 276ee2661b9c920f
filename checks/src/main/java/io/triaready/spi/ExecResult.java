package io.triaready.spi;

import java.time.Duration;

/** What a command did: exit code, both streams (decoded as UTF-8, possibly truncated) and how long it took. */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration) {}
