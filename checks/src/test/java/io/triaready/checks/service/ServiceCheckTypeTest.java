package io.triaready.checks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.triaready.spi.Facts;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.testing.HostChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * systemd units. The development machines and CI containers run without systemd (PID 1 is not systemd),
 * so there the real check must be an ERROR that says so; on a machine with systemd it reads a real unit.
 * The parsing of {@code systemctl show} output is covered separately with output of a real systemd host.
 */
class ServiceCheckTypeTest {
    static final ServiceCheckType TYPE = new ServiceCheckType();
    static final boolean SYSTEMD = Files.isDirectory(Path.of("/run/systemd/system"));

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
    void onThisMachine(HostTransport host) throws Exception {
        if (!SYSTEMD) {
            assertThatThrownBy(() -> HostChecks.run(TYPE, "ssh", null, host))
                    .isInstanceOf(ProbeException.class)
                    .hasMessageStartingWith("systemd is not running on " + host.name() + " (")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            return;
        }
        HostChecks.Result journald = HostChecks.run(TYPE, "systemd-journald", null, host);
        assertThat(journald.passed()).isTrue();
        assertThat(journald.fact("state")).isEqualTo("active");
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) journald.fact("properties");
        assertThat(props).containsKeys("Restart", "ExecStart", "MainPID");
        HostChecks.Result missing = HostChecks.run(TYPE, "{name: tria-no-such-unit-4711}", null, host);
        assertThat(missing.fact("exists")).isEqualTo(false);
        assertThat(missing.failures()).containsExactly("active: expected true, got false");
    }

    /** {@code systemctl show} of the TRIA backend on an Ubuntu 22.04 host (systemd 249), as the probe asks for it. */
    static final String TRIA_AIBPO = String.join("\n",
            "Id=tria-aibpo.service",
            "Description=TRIA AIBPO backend",
            "LoadState=loaded",
            "ActiveState=active",
            "SubState=running",
            "UnitFileState=enabled",
            "Result=success",
            "Type=simple",
            "MainPID=912",
            "NRestarts=2",
            "Restart=always",
            "RestartUSec=10s",
            "ExecStart={ path=/opt/tria/venv/bin/uvicorn ; argv[]=/opt/tria/venv/bin/uvicorn src.main:app --port 8001 ; ignore_errors=no ; start_time=[Mon 2025-01-13 09:12:44 UTC] ; stop_time=[n/a] ; pid=912 ; code=(null) ; status=0/0 }",
            "User=tria",
            "FragmentPath=/etc/systemd/system/tria-aibpo.service",
            "ActiveEnterTimestamp=Mon 2025-01-13 09:12:44 UTC",
            "");

    @Test
    void readsSystemctlShow() throws Exception {
        Facts f = ServiceCheckType.ServiceProbe.facts("tria-aibpo", ServiceCheckType.ServiceProbe.parse(TRIA_AIBPO));
        assertThat(f.get("active")).isEqualTo(true);
        assertThat(f.get("enabled")).isEqualTo(true);
        assertThat(f.get("state")).isEqualTo("active");
        assertThat(f.get("sub_state")).isEqualTo("running");
        assertThat(f.get("exists")).isEqualTo(true);
        Map<?, ?> props = (Map<?, ?>) f.get("properties");
        assertThat(props.get("Restart")).isEqualTo("always");
        assertThat(props.get("ExecStart").toString()).contains("argv[]=/opt/tria/venv/bin/uvicorn src.main:app --port 8001");
        assertThat(f.notes()).containsExactly("tria-aibpo.service: active (running), enabled, Restart=always");

        Facts failed = ServiceCheckType.ServiceProbe.facts("tria-aibpo", ServiceCheckType.ServiceProbe.parse(
                TRIA_AIBPO.replace("ActiveState=active", "ActiveState=failed").replace("SubState=running", "SubState=failed")
                        .replace("UnitFileState=enabled", "UnitFileState=disabled")));
        assertThat(failed.get("active")).isEqualTo(false);
        assertThat(failed.get("enabled")).isEqualTo(false);
        assertThat(failed.get("state")).isEqualTo("failed");

        Facts notFound = ServiceCheckType.ServiceProbe.facts("nope", ServiceCheckType.ServiceProbe.parse(
                "Id=nope.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\n"));
        assertThat(notFound.get("exists")).isEqualTo(false);
        assertThat(notFound.notes()).containsExactly("unit nope.service not found");
    }

    @Test
    void theExpectationOfThePlanReadsNaturally() throws Exception {
        // {active: true, properties: {Restart: always}} against the parsed facts, through the real expectation parser
        var ctx = io.triaready.base.yaml.ParseContext.plain();
        var x = io.triaready.core.expect.ExpectationParser.parse(io.triaready.base.yaml.YNode.parse("{active: true, properties: {Restart: always}}", "t"),
                TYPE.facts(), "service", ctx);
        assertThat(ctx.problems().isEmpty()).isTrue();
        Facts f = ServiceCheckType.ServiceProbe.facts("tria-aibpo", ServiceCheckType.ServiceProbe.parse(TRIA_AIBPO.replace("Restart=always", "Restart=no")));
        assertThat(x.evaluate(f)).containsExactly("properties.Restart: expected \"always\", got \"no\"");
    }

    @Test
    void mistakesAreReportedAtTheirPlace() {
        assertThat(HostChecks.problems(TYPE, "{name: x, properties: ['Restart; rm -rf /']}")).singleElement().asString()
                .contains("is not a systemd property name");
        assertThat(HostChecks.problems(TYPE, "{unit: nginx}")).anySatisfy(p -> assertThat(p).contains("missing required key 'name'"));
    }
}
