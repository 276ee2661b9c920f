package io.triaready.transport.ssh;

import static io.triaready.transport.ssh.SshFixtures.connect;
import static io.triaready.transport.ssh.SshFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.spi.ExecResult;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Authentication against a real sshd: key types and formats, encrypted keys, the agent, ssh config aliases. */
class SshAuthTest {
    static final String PASSPHRASE = "correct horse battery";

    @TempDir
    static Path dir;
    static Sshd sshd;
    static Path knownHosts;
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        keys = Files.createDirectories(dir.resolve("keys"));
        Sshd.Builder b = Sshd.builder(dir.resolve("sshd"));
        for (String[] k : KEYS) {
            String format = k[2].equals("openssh") ? null : k[2].toUpperCase();
            Path key = Keys.keygen(keys.resolve(k[0]), k[1], format, k[3].isEmpty() ? null : PASSPHRASE, k[0]);
            b.authorize(Keys.pub(key));
        }
        Keys.keygen(keys.resolve("stranger"), "ed25519", false, null, "not authorized");
        sshd = b.start();
        knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
    }

    /** name, type, format, encrypted */
    static final String[][] KEYS = {
            {"ed25519", "ed25519", "openssh", ""},
            {"ecdsa", "ecdsa", "openssh", ""},
            {"rsa", "rsa", "openssh", ""},
            {"ecdsa_pem", "ecdsa", "pem", ""},
            {"rsa_pem", "rsa", "pem", ""},
            {"rsa_pkcs8", "rsa", "pkcs8", ""},
            {"ecdsa_pkcs8", "ecdsa", "pkcs8", ""},
            {"ecdsa_pkcs8_enc", "ecdsa", "pkcs8", "yes"},
            {"ed25519_enc", "ed25519", "openssh", "yes"},
            {"rsa_pem_enc", "rsa", "pem", "yes"},
    };

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    private static String whoami(Map<String, Object> settings) throws Exception {
        try (Session session = new Session()) {
            SshHost host = connect(SshFixtures.connector(dir.resolve("home")), session, "web", settings);
            ExecResult r = host.exec("id -un; echo \"$HOME\"", null, Duration.ofSeconds(10));
            assertThat(r.exitCode()).isZero();
            return r.stdout();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ed25519", "ecdsa", "rsa", "ecdsa_pem", "rsa_pem", "rsa_pkcs8", "ecdsa_pkcs8"})
    void logsInWithEveryKeyTypeAndFormat(String key) throws Exception {
        String out = whoami(settings(sshd, keys.resolve(key), knownHosts));
        assertThat(out).startsWith("root\n").contains(sshd.home().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ed25519_enc", "rsa_pem_enc"})
    void decryptsAnEncryptedKeyWithThePassphrase(String key) throws Exception {
        assertThat(whoami(settings(sshd, keys.resolve(key), knownHosts, "passphrase", PASSPHRASE))).startsWith("root\n");
    }

    @Test
    void anEncryptedPkcs8KeyCannotBeReadAndTheErrorSaysHowToConvertIt() {
        assertThatThrownBy(() -> whoami(settings(sshd, keys.resolve("ecdsa_pkcs8_enc"), knownHosts, "passphrase", PASSPHRASE)))
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": key " + keys.resolve("ecdsa_pkcs8_enc")
                        + " is an encrypted PKCS#8 file, which cannot be read: convert it with 'ssh-keygen -p -f "
                        + keys.resolve("ecdsa_pkcs8_enc") + "' (OpenSSH format, passphrase kept or changed)");
    }

    @Test
    void anEncryptedKeyWithoutPassphraseIsAClearErrorWithoutConnecting() throws Exception {
        long before = sshd.acceptedLogins();
        assertThatThrownBy(() -> whoami(settings(sshd, keys.resolve("ed25519_enc"), knownHosts)))
                .isInstanceOf(ProbeException.class)
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": key " + keys.resolve("ed25519_enc") + " is encrypted: set passphrase: ${env:...}");
        assertThat(sshd.acceptedLogins()).isEqualTo(before);
    }

    @Test
    void withoutAPassphraseSettingTheTerminalIsAskedOncePerKey() throws Exception {
        SshSettings s = SshSettings.resolve("web", settings(sshd, keys.resolve("ed25519_enc"), knownHosts), SshSettings.Environment.system());
        List<String> asked = new java.util.ArrayList<>();
        Identities.Loaded typed = Identities.load(s, dir, (path, label) -> {
            asked.add(label);
            return PASSPHRASE;
        });
        assertThat(typed.keys()).hasSize(1);
        assertThat(asked).containsExactly("~/keys/ed25519_enc"); // under the home given: shown as ~/...
        // no terminal (CI): the key is skipped with the advice, not an exception yet (the agent may hold it)
        Identities.Loaded none = Identities.load(s, dir, (path, label) -> null);
        assertThat(none.keys()).isEmpty();
        assertThat(none.skipped()).containsExactly("key ~/keys/ed25519_enc is encrypted: set passphrase: ${env:...}");
    }

    @Test
    void aWrongPassphraseIsAnErrorThatDoesNotShowIt() {
        assertThatThrownBy(() -> whoami(settings(sshd, keys.resolve("rsa_pem_enc"), knownHosts, "passphrase", "not it at all")))
                .isInstanceOf(ProbeException.class)
                .hasMessageContaining("could not be decrypted")
                .hasMessageNotContaining("not it at all");
    }

    @Test
    void aKeyTheServerDoesNotAcceptFailsAuthenticationNamingWhatWasTried() {
        assertThatThrownBy(() -> whoami(settings(sshd, keys.resolve("stranger"), knownHosts)))
                .isInstanceOf(ProbeException.class)
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": authentication failed (tried publickey with " + keys.resolve("stranger") + ")");
    }

    @Test
    void aMissingIdentityFileIsAnError() {
        assertThatThrownBy(() -> whoami(settings(sshd, keys.resolve("nope"), knownHosts)))
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": identity file " + keys.resolve("nope") + " does not exist");
    }

    @Test
    void defaultKeysComeFromHomeDotSshAndTildeIsExpanded() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(keys.resolve("ecdsa"), home.resolve(".ssh/id_ecdsa"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(whoami(settings(sshd, null, knownHosts))).startsWith("root\n");
        assertThat(whoami(settings(sshd, null, knownHosts, "identity", "~/.ssh/id_ecdsa"))).startsWith("root\n");
        Files.delete(home.resolve(".ssh/id_ecdsa"));
        assertThatThrownBy(() -> whoami(settings(sshd, null, knownHosts)))
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": no key to offer (looked for ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa;"
                        + " set identity: or start ssh-agent)");
    }

    @Test
    void anSshConfigAliasGivesHostNameUserPortIdentityAndKnownHosts() throws Exception {
        Path config = dir.resolve("ssh_config");
        Files.writeString(config, String.join("\n",
                "Host web-prod",
                "  HostName 127.0.0.1",
                "  User root",
                "  Port " + sshd.port(),
                "  IdentityFile " + keys.resolve("rsa"),
                "  UserKnownHostsFile " + knownHosts,
                "Host *",
                "  ServerAliveInterval 30",
                ""));
        Map<String, Object> s = Map.of("host", "web-prod", "ssh_config", config.toString());
        assertThat(whoami(s)).startsWith("root\n");
        // the inventory wins over the config
        Map<String, Object> wrongUser = Map.of("host", "web-prod", "ssh_config", config.toString(), "user", "nobody-here");
        assertThatThrownBy(() -> whoami(wrongUser)).hasMessageStartingWith("ssh nobody-here@127.0.0.1:" + sshd.port() + ": authentication failed");
    }

    @Test
    void signsWithKeysHeldBySshAgentIncludingRsaWithSha2() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(20);
            Map<String, String> env = Map.of("SSH_AUTH_SOCK", socket.toString());
            Keys.run(List.of("ssh-add", keys.resolve("rsa").toString()), env);
            // no key files at all: only the agent, found through SSH_AUTH_SOCK as OpenSSH does
            try (Session session = new Session()) {
                SshHost host = connect(SshFixtures.connector(dir.resolve("empty-home"), env), session, "web", settings(sshd, null, knownHosts));
                assertThat(host.exec("id -un", null, Duration.ofSeconds(10)).stdout()).isEqualTo("root\n");
            }
            assertThat(sshd.log()).containsPattern("Accepted publickey for root .* RSA SHA256:");
            Keys.run(List.of("ssh-add", "-D"), env);
            Keys.run(List.of("ssh-add", keys.resolve("ed25519").toString()), env);
            assertThat(whoami(settings(sshd, null, knownHosts, "agent", socket.toString()))).startsWith("root\n");
            // an agent without the right key: the failure says the agent was tried
            Keys.run(List.of("ssh-add", "-D"), env);
            Keys.run(List.of("ssh-add", keys.resolve("stranger").toString()), env);
            assertThatThrownBy(() -> whoami(settings(sshd, null, knownHosts, "agent", socket.toString())))
                    .hasMessage("ssh root@127.0.0.1:" + sshd.port() + ": authentication failed (tried publickey with agent (1 key))");
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void severalIdentitiesAreTriedInOrder() throws Exception {
        Map<String, Object> s = settings(sshd, null, knownHosts,
                "identity", List.of(keys.resolve("stranger").toString(), keys.resolve("ecdsa").toString()));
        assertThat(whoami(s)).startsWith("root\n");
    }

    /**
     * A key from a file logs in with one signed request right behind the service request: no "none"
     * request and no "would you accept this key" query first (two round trips fewer; QuickAuth).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ed25519", "ecdsa", "rsa"})
    void aFileKeyLogsInWithOneSignedRequest(String key, @TempDir Path tmp) throws Exception {
        try (Sshd debug = Sshd.builder(tmp.resolve("sshd")).authorize(Keys.pub(keys.resolve(key))).config("LogLevel DEBUG").start()) {
            Map<String, Object> s = settings(debug, keys.resolve(key), debug.writeKnownHosts(tmp.resolve("known_hosts")));
            try (Session session = new Session()) {
                SshHost host = connect(SshFixtures.connector(dir.resolve("home")), session, "web", s);
                assertThat(host.exec("id -un", null, Duration.ofSeconds(10)).stdout()).isEqualTo("root\n");
            }
            List<String> requests = debug.log().lines().filter(l -> l.contains("userauth-request for user")).toList();
            assertThat(requests).hasSize(1).allMatch(l -> l.contains("method publickey"));
            assertThat(debug.log()).doesNotContain("test pkalg").contains("Accepted publickey");
        }
    }
}
