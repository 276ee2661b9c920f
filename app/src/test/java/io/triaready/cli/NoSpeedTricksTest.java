package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --no-speed-tricks} (and {@code TRIA_READY_SPEED_TRICKS=off}) against a real sshd at
 * DEBUG, with {@code exec: shell} in the inventory: the audit passes the plain way, logging in as
 * MINA and OpenSSH do (a "none" request first), which an audit with the tricks never does.
 */
class NoSpeedTricksTest {
    @TempDir
    Path dir;
    Sshd sshd;
    Path inventory;
    Path playbook;

    @BeforeEach
    void start() throws Exception {
        Path key = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, null, "client");
        sshd = Sshd.builder(dir.resolve("sshd")).config("LogLevel DEBUG").authorize(Keys.pub(key)).start();
        Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
        inventory = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  box:\n    ssh: {host: " + sshd.host() + ", port: " + sshd.port()
                + ", user: root, identity: " + key + ", known_hosts: " + knownHosts + ", ssh_config: none, exec: shell}\n");
        playbook = Files.writeString(dir.resolve("playbook.yaml"), "playbook: plain\ntitle: Plain\nchecks:\n"
                + "  - {id: hello, phase: p0, command: 'echo hello', expect: {stdout: {contains: hello}}}\n"
                + "  - {id: user, phase: p0, command: 'id -un', expect: {stdout: {contains: root}}}\n");
    }

    @AfterEach
    void stop() {
        if (sshd != null) sshd.close();
    }

    @Test
    void anAuditWithoutSpeedTricksPassesThePlainWay() throws Exception {
        Cli r = Cli.run("audit", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box", "--no-store", "-f", "summary", "--no-speed-tricks");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 passed");
        assertThat(noneRequests()).as("'none' login requests (MINA's own login)").isEqualTo(1);
    }

    @Test
    void theEnvironmentVariableTurnsThemOffToo() throws Exception {
        Cli r = Cli.run(Map.of("TRIA_READY_SPEED_TRICKS", "off"), "audit", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box",
                "--no-store", "-f", "summary");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(noneRequests()).isEqualTo(1);
    }

    @Test
    void byDefaultTheAuditUsesThem() throws Exception {
        Cli r = Cli.run(Map.of(), "audit", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box", "--no-store", "-f", "summary");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 passed");
        assertThat(noneRequests()).as("'none' login requests").isZero();
    }

    @Test
    void aFixTakesTheSwitchToo() throws Exception {
        Path marker = Path.of("/tmp/tria-nst-" + sshd.port());
        Path fixing = Files.writeString(dir.resolve("fixing.yaml"), "playbook: plain-fix\ntitle: Plain fix\nchecks:\n"
                + "  - {id: marker, phase: p0, command: 'cat " + marker + "', expect: {stdout: {contains: fixed}}, fix: mark}\n"
                + "fixes:\n  - {id: mark, steps: [{run: 'echo fixed > " + marker + "'}]}\n");
        try {
            Cli tricks = fix(fixing);
            assertThat(tricks.exit()).as(tricks.out() + tricks.err()).isZero();
            assertThat(tricks.out()).contains("FIXED");
            assertThat(noneRequests()).as("with the tricks: one signed login request, no 'none'").isZero();
            Files.delete(marker);
            Cli plain = fix(fixing, "--no-speed-tricks");
            assertThat(plain.exit()).as(plain.out() + plain.err()).isZero();
            assertThat(plain.out()).contains("FIXED");
            assertThat(noneRequests()).as("without: MINA's own login, a 'none' request first").isPositive();
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    private Cli fix(Path playbook, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fix", "mark", "-p", playbook.toString(), "-i", inventory.toString(),
                "-t", "box", "--no-store", "--yes", "--lock-dir", dir.resolve("lock").toString()));
        args.addAll(java.util.List.of(more));
        return Cli.run(Map.of(), args.toArray(String[]::new));
    }

    private long noneRequests() throws Exception {
        return sshd.log().lines().filter(l -> l.contains("userauth-request for user") && l.contains("method none")).count();
    }
}
