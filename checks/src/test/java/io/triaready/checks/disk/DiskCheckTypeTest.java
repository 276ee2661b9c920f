package io.triaready.checks.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.triaready.core.expect.Missing;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.testing.HostChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real root filesystem, compared with what the JVM itself sees of it. */
class DiskCheckTypeTest {
    static final DiskCheckType TYPE = new DiskCheckType();

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
    void theRootFilesystem(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "/", "{used_percent: {between: [0, 100]}}", host);
        assertThat(r.passed()).isTrue();
        FileStore store = Files.getFileStore(Path.of("/"));
        long size = (Long) r.fact("size_bytes");
        assertThat(Math.abs(size - store.getTotalSpace())).isLessThan(1024L * 1024);
        assertThat((Long) r.fact("free_bytes")).isBetween(0L, size);
        assertThat((Long) r.fact("used_bytes")).isBetween(0L, size);
        assertThat(r.fact("mount")).isEqualTo("/");
        assertThat(r.fact("filesystem").toString()).isNotBlank();
        Object inodes = r.fact("inodes_used_percent");
        assertThat(inodes instanceof Long || inodes == Missing.INSTANCE).isTrue();
        // an impossible limit fails, naming the fact
        assertThat(HostChecks.run(TYPE, "/", "{used_percent: {lt: 0}}", host).failures()).singleElement().asString().startsWith("used_percent: expected < 0, got");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aPathReportsTheFilesystemItIsOn(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "{mount: '" + dir + "'}", null, host);
        assertThat(dir.toString()).startsWith(r.fact("mount").toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aMissingPathIsAnError(HostTransport host) {
        assertThatThrownBy(() -> HostChecks.run(TYPE, "/no/such/mount", null, host))
                .isInstanceOf(ProbeException.class)
                .hasMessageStartingWith("df /no/such/mount on " + host.name() + ": df: /no/such/mount: No such file or directory");
    }
}
