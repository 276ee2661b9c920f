package io.triaready.checks.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Session;
import io.triaready.testing.HostChecks;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import io.triaready.transport.local.LocalHost;
import io.triaready.transport.ssh.SshConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code command: {run: ..., sudo: true}} over SSH with the host's sudo_password. The tests run as root,
 * where sudo never asks for a password: what they can and do prove is that the command runs through
 * sudo, that the password appears on no command line, and that an unneeded password is not handed to
 * the command as its input. Where sudo is not installed, the check must say so.
 */
class CommandSudoTest {
    static final CommandCheckType TYPE = new CommandCheckType();
    static final String PASSWORD = "s3cret-sudo-pw-4711";
    static final boolean SUDO = Files.isExecutable(Path.of("/usr/bin/sudo")) || Files.isExecutable(Path.of("/bin/sudo"));

    @TempDir
    static Path dir;
    static Sshd sshd;
    static Session session;
    static HostTransport ssh;

    @BeforeAll
    static void start() throws Exception {
        Path key = Keys.keygen(dir.resolve("id"), "ed25519", false, null, "sudo");
        sshd = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key)).start();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", sshd.host());
        s.put("port", sshd.port());
        s.put("user", "root");
        s.put("identity", key.toString());
        s.put("known_hosts", sshd.writeKnownHosts(dir.resolve("kh")).toString());
        s.put("ssh_config", "none");
        s.put("agent", "none");
        s.put("sudo_password", PASSWORD);
        session = new Session();
        ssh = new SshConnector().connect(new HostSpec("web", "ssh", s), session, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (session != null) session.close();
        if (sshd != null) sshd.close();
    }

    @Test
    void aRootSessionNeedsNoSudo() throws Exception {
        // the tests run as root: sudo is skipped (minimal images and containers have none)
        for (HostTransport host : new HostTransport[] {LocalHost.INSTANCE, ssh}) {
            HostChecks.Result r = HostChecks.run(TYPE, "{run: id -u, sudo: true}", "{stdout: \"0\"}", host);
            assertThat(r.failures()).as(host.name()).isEmpty();
        }
    }

    @Test
    void runsAsRootWithThePasswordNeverOnACommandLineNorAsTheCommandsInput() throws Exception {
        assumeTrue(SUDO && !"root".equals(System.getProperty("user.name")), "the sudo_password path needs sudo and a non-root user (a root session skips sudo)");
        HostChecks.Result r = HostChecks.run(TYPE, "{run: 'id -u; echo \"$SUDO_USER\"', sudo: true}", "{stdout: \"0\\nroot\\n\"}", ssh);
        assertThat(r.failures()).isEmpty();
        HostChecks.Result ps = HostChecks.run(TYPE, "{run: 'ps -eo args', sudo: true}", null, ssh);
        assertThat(ps.fact("stdout").toString()).contains("sudo -S -p").doesNotContain(PASSWORD);
        HostChecks.Result cat = HostChecks.run(TYPE, "{run: 'cat', sudo: true}", null, ssh);
        assertThat(cat.fact("stdout")).isEqualTo("");
        assertThat(HostChecks.everything(TYPE, cat)).doesNotContain(PASSWORD);
    }

    @Test
    void stdinCannotBeCombinedWithSudo() {
        assertThat(HostChecks.problems(TYPE, "{run: cat, stdin: x, sudo: true}")).singleElement().asString()
                .startsWith("1:12: 'stdin' cannot be used with 'sudo: true'");
    }
}
