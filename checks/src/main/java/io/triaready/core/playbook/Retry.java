package io.triaready.core.playbook;

import java.time.Duration;

/** Extra attempts after a failure, waiting {@code delay}, then twice that, and so on (capped at 30s). */
public record Retry(int count, Duration delay) {
    public static final Retry NONE = new Retry(0, Duration.ZERO);

    public Duration delayBefore(int attempt) {
        long ms = delay.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(Math.min(ms, 30_000));
    }
}
