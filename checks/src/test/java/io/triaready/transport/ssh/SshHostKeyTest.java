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

import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host key verification against known_hosts, as OpenSSH's StrictHostKeyChecking yes / accept-new. */
class SshHostKeyTest {
    @TempDir
    static Path dir;
    static Sshd sshd;
    static Path key;
    static String prefix;

    @BeforeAll
    static void start() throws Exception {
        key = Keys.keygen(dir.resolve("id_ed25519"), "ed25519", false, null, "client");
        // several host keys, as a stock server has: known_hosts may list any one of them
        sshd = Sshd.builder(dir.resolve("sshd")).hostKey("ed25519").hostKey("ecdsa").hostKey("rsa").authorize(Keys.pub(key)).start();
        prefix = "ssh root@127.0.0.1:" + sshd.port() + ": ";
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    private static String run(Map<String, Object> settings) throws Exception {
        try (Session session = new Session()) {
            return connect(SshFixtures.connector(dir.resolve("home")), session, "web", settings)
                    .exec("echo ok", null, Duration.ofSeconds(10)).stdout();
        }
    }

    /** The fingerprint as ssh-keygen -l prints it for the host's key of {@code type}. */
    private static String fingerprint(String type) throws Exception {
        Path pub = Path.of(sshd.dir().resolve("ssh_host_" + type + "_key") + ".pub");
        return Keys.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()), null).split("\\s+")[1];
    }

    private static String line(String type) throws Exception {
        return sshd.knownHostsLines().stream().filter(l -> l.contains(type.equals("rsa") ? "ssh-rsa" : type)).findFirst().orElseThrow();
    }

    @Test
    void anUnknownHostIsRefusedWithItsFingerprintAndHowToAcceptIt() throws Exception {
        Path kh = Files.writeString(dir.resolve("kh-empty"), "");
        List<String> offered = List.of("ssh-ed25519 " + fingerprint("ed25519"), "ecdsa-sha2-nistp256 " + fingerprint("ecdsa"),
                "ssh-rsa " + fingerprint("rsa"));
        assertThatThrownBy(() -> run(settings(sshd, key, kh)))
                .isInstanceOf(ProbeException.class)
                .hasMessageStartingWith(prefix + "host key for [127.0.0.1]:" + sshd.port() + " is not known (")
                .satisfies(e -> assertThat(offered).anyMatch(k -> e.getMessage().contains("is not known (" + k + ")")))
                .hasMessageContaining("'ssh-keyscan -p " + sshd.port() + " 127.0.0.1 >> " + kh + "'")
                .hasMessageContaining("--accept-new-host-keys")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Files.readString(kh)).isEmpty();
        assertThat(sshd.log()).doesNotContain("Accepted publickey");
    }

    @Test
    void aMissingKnownHostsFileMeansEveryHostIsUnknown() {
        assertThatThrownBy(() -> run(settings(sshd, key, dir.resolve("no/such/known_hosts"))))
                .hasMessageContaining("is not known");
    }

    @Test
    void anyOfTheServersKeysListedInKnownHostsIsAccepted() throws Exception {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            Path kh = Files.writeString(dir.resolve("kh-" + type), "# only " + type + "\n" + line(type) + "\n");
            assertThat(run(settings(sshd, key, kh))).as(type).isEqualTo("ok\n");
        }
    }

    @Test
    void hashedEntriesAreUnderstood() throws Exception {
        Path kh = Files.writeString(dir.resolve("kh-hashed"), line("ecdsa") + "\n");
        Keys.run(List.of("ssh-keygen", "-H", "-f", kh.toString()), null);
        assertThat(Files.readString(kh)).startsWith("|1|").doesNotContain("127.0.0.1");
        assertThat(run(settings(sshd, key, kh))).isEqualTo("ok\n");
    }

    @Test
    void aChangedKeyIsRefusedWithBothFingerprintsEvenWithAcceptNew() throws Exception {
        Path other = Keys.keygen(dir.resolve("impostor"), "ed25519", false, null, "other");
        String otherPub = Files.readString(Keys.pub(other)).trim().split("\\s+")[1];
        String otherFp = Keys.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", Keys.pub(other).toString()), null).split("\\s+")[1];
        String content = "[127.0.0.1]:" + sshd.port() + " ssh-ed25519 " + otherPub + "\n";
        Path kh = Files.writeString(dir.resolve("kh-changed"), content);
        for (boolean acceptNew : new boolean[] {false, true}) {
            assertThatThrownBy(() -> run(settings(sshd, key, kh, "accept_new_host_keys", acceptNew)))
                    .hasMessageStartingWith(prefix + "host key for [127.0.0.1]:" + sshd.port() + " has CHANGED")
                    .hasMessageContaining("ssh-ed25519 " + fingerprint("ed25519"))
                    .hasMessageContaining("ssh-ed25519 " + otherFp);
        }
        assertThat(Files.readString(kh)).isEqualTo(content);
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        Path kh = Files.writeString(dir.resolve("kh-revoked"), "@revoked " + line("ed25519") + "\n" + line("ed25519") + "\n");
        assertThatThrownBy(() -> run(settings(sshd, key, kh))).hasMessageContaining("is marked @revoked");
    }

    @Test
    void acceptNewAppendsTheKeyLikeOpenSshAcceptNew() throws Exception {
        Path kh = dir.resolve("fresh/.ssh/known_hosts"); // neither the file nor its directory exist yet
        assertThat(run(settings(sshd, key, kh, "accept_new_host_keys", true))).isEqualTo("ok\n");
        List<String> lines = Files.readAllLines(kh);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[127.0.0.1]:" + sshd.port() + " ");
        // what was written is a valid entry for OpenSSH's own tools, with the key the server really has
        String found = Keys.run(List.of("ssh-keygen", "-F", "[127.0.0.1]:" + sshd.port(), "-f", kh.toString()), null);
        assertThat(found).contains("found");
        assertThat(sshd.knownHostsLines()).contains(lines.get(0));
        // from now on the host is known: strict checking passes and nothing more is appended
        assertThat(run(settings(sshd, key, kh))).isEqualTo("ok\n");
        assertThat(run(settings(sshd, key, kh, "accept_new_host_keys", true))).isEqualTo("ok\n");
        assertThat(Files.readAllLines(kh)).hasSize(1);
    }
}
