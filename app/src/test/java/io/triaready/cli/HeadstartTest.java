package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunOptions;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit connects while its command line is still read: against a real sshd logging each TCP
 * connection (VERBOSE), the audit uses that one connection, and nothing logs in when the command line
 * turns out to be wrong or names other hosts.
 */
class HeadstartTest {
    @TempDir
    Path dir;
    Sshd sshd;
    Path inventory;
    Path playbook;

    /** A server of each test's own: a connection another test gave up late never lands on it. */
    @BeforeEach
    void start() throws Exception {
        Path key = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, null, "client");
        sshd = Sshd.builder(dir.resolve("sshd")).config("LogLevel VERBOSE").authorize(Keys.pub(key)).start();
        Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
        inventory = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  box:\n    ssh: {host: " + sshd.host() + ", port: " + sshd.port()
                + ", user: root, identity: " + key + ", known_hosts: " + knownHosts + ", ssh_config: none}\n");
        playbook = Files.writeString(dir.resolve("playbook.yaml"),
                "playbook: headstart\ntitle: Headstart\nchecks:\n  - {id: hello, phase: p0, command: 'echo hello', expect: {stdout: {contains: hello}}}\n");
    }

    @AfterEach
    void stop() {
        if (sshd != null) sshd.close();
    }

    @Test
    void theAuditUsesTheConnectionItsFirstLookStarted() throws Exception {
        long connections = connections();
        long logins = sshd.acceptedLogins();
        Cli r = Cli.run("audit", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box", "--no-store", "-f", "summary");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 passed");
        assertThat(connections() - connections).as("TCP connections to sshd").isEqualTo(1);
        assertThat(sshd.acceptedLogins() - logins).isEqualTo(1);
    }

    @Test
    void aMistakeOnTheCommandLineLogsInNowhere() throws Exception {
        long logins = sshd.acceptedLogins();
        Cli r = Cli.run("audit", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box", "--no-store", "--fail-under", "200");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--fail-under 200");
        Thread.sleep(1000); // had a login been on its way, sshd would have logged it by now
        assertThat(sshd.acceptedLogins()).isEqualTo(logins);
    }

    @Test
    void aGuessThatDoesNotMatchTheRealTargetIsClosedUnused() throws Exception {
        long connections = connections();
        long logins = sshd.acceptedLogins();
        Headstart h = Headstart.start(new String[] {"audit", "-i", inventory.toString(), "-t", "box"});
        Target other = new Target("box", List.of(new HostSpec("box", "ssh", Map.of("host", "127.0.0.2", "port", sshd.port()))), Map.of(), Map.of());
        assertThat(h.adopt(other, RunOptions.DEFAULT_TIMEOUT, AuditCommand.DEFAULT_CONCURRENCY)).isEmpty();
        h.close();
        Thread.sleep(1000); // had a login been on its way, sshd would have logged it by now
        assertThat(sshd.acceptedLogins()).isEqualTo(logins);
        // the guess's own connection, if it got that far before it was called off; never a login
        assertThat(connections() - connections).as(() -> "TCP connections; sshd said:\n" + sshdLog()).isLessThanOrEqualTo(1);
    }

    @Test
    void guessesReadTheOptionsAsPicocliDoes() {
        assertThat(Headstart.guess(new String[] {"audit", "-p", "x", "-i", "inv.yaml", "-t", "prod"}))
                .isEqualTo(new Headstart.Guess(Path.of("inv.yaml"), "prod", RunOptions.DEFAULT_TIMEOUT, AuditCommand.DEFAULT_CONCURRENCY));
        assertThat(Headstart.guess(new String[] {"audit", "--inventory=inv.yaml", "--target=prod", "--timeout", "5s", "-j8"}))
                .isEqualTo(new Headstart.Guess(Path.of("inv.yaml"), "prod", Duration.ofSeconds(5), 8));
        assertThat(Headstart.guess(new String[] {"audit", "-tprod", "--concurrency", "4", "--timeout=500ms"}))
                .isEqualTo(new Headstart.Guess(null, "prod", Duration.ofMillis(500), 4));
        assertThat(Headstart.guess(new String[] {"audit"})).isEqualTo(new Headstart.Guess(null, "local", RunOptions.DEFAULT_TIMEOUT, 32));
    }

    @Test
    void anythingUnsureIsNoGuess() {
        assertThat(Headstart.guess(new String[] {"fix", "-t", "prod"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "@args.txt"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "-t", "prod", "--accept-new-host-keys"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "--timeout", "soon"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "-j", "many"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "-t"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "-t", "prod", "--help"})).isNull();
        assertThat(Headstart.guess(new String[] {"audit", "-V", "-t", "prod"})).isNull();
    }

    private long connections() throws java.io.IOException { return sshd.connections(); }

    /** sshd's log, for a failure message: which connections came, and what became of each. */
    private String sshdLog() {
        try {
            return sshd.log();
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
