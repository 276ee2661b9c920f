package io.triaready.checks.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.triaready.spi.HostTransport;
import io.triaready.testing.HostChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** This machine's /proc/meminfo, directly and over SSH. */
class MemoryCheckTypeTest {
    static final MemoryCheckType TYPE = new MemoryCheckType();

    @TempDir
    static Path dir;
    static HostChecks checks;

    @BeforeAll
    static void start() throws Exception {
        checks = HostChecks.start(dir.resolve("ssh"));
    }

    @AfterAll
    static void stop() {
        if (checks != null) checks.close();
    }

    static Stream<Named<HostTransport>> hosts() { return checks.hosts().stream().map(h -> Named.of(h.name(), h)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void readsMemInfo(HostTransport host) throws Exception {
        long total = MemoryCheckType.MemoryProbe.parse(Files.readString(Path.of("/proc/meminfo"))).get("MemTotal");
        HostChecks.Result r = HostChecks.run(TYPE, "{}", "{available_kb: {gt: 0}}", host);
        assertThat(r.passed()).isTrue();
        assertThat(r.fact("total_kb")).isEqualTo(total);
        assertThat((Long) r.fact("available_kb")).isLessThanOrEqualTo(total);
        assertThat((Double) r.fact("available_percent")).isBetween(0.0, 100.0);
        assertThat(HostChecks.run(TYPE, "true", "{available_percent: {gt: 100}}", host).passed()).isFalse();
    }

    @Test
    void takesNoSettings() {
        assertThat(HostChecks.problems(TYPE, "{min: 10}")).singleElement().asString().contains("unknown key 'min'");
        assertThat(HostChecks.problems(TYPE, "512")).singleElement().asString().contains("'memory' takes no settings");
    }
}
