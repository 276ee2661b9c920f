package io.triaready.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Warming the SSH transport up must leave nothing running: it only loads code. */
class SshConnectorWarmUpTest {
    @Test
    void warmingUpStartsNoThreadAndLeavesNothingOpen() {
        Set<String> before = threadNames();
        new SshConnector().warmUp();
        new SshConnector().warmUp(); // twice: each call is self-contained
        Set<String> after = threadNames();
        after.removeAll(before);
        assertThat(after).as("threads started by warmUp").isEmpty();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toSet());
    }
}
