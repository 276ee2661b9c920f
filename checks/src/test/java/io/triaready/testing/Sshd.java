package io.triaready.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd for tests: its own config, host key(s), authorized_keys and log in a temporary
 * directory, listening on a free 127.0.0.1 port, root login by key only. Sessions get a HOME with the
 * Debian default dotfiles (as bench/target/up.sh does), so this machine's /root/.bashrc (pyenv, cargo)
 * does not slow every command down. Stop it with {@link #close()}.
 *
 * <pre>
 * try (Sshd sshd = Sshd.builder(dir).authorize(key.publicKey()).start()) { ... }
 * </pre>
 */
public final class Sshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final Process process;
    private final Path log;
    private final List<Path> hostKeys;

    private Sshd(Path dir, int port, Process process, Path log, List<Path> hostKeys) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
        this.hostKeys = hostKeys;
    }

    public static Builder builder(Path dir) { return new Builder(dir); }

    public String host() { return "127.0.0.1"; }

    public int port() { return port; }

    public Path dir() { return dir; }

    /** The session HOME that sshd sets for logins. */
    public Path home() { return dir.resolve("home"); }

    /** Host private key files; {@code <key>.pub} next to each. */
    public List<Path> hostKeys() { return hostKeys; }

    /** known_hosts lines for every host key, as {@code ssh-keyscan -p PORT 127.0.0.1} would print them. */
    public List<String> knownHostsLines() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path k : hostKeys) {
            String[] pub = Files.readString(Path.of(k + ".pub")).trim().split("\\s+");
            out.add("[" + host() + "]:" + port + " " + pub[0] + " " + pub[1]);
        }
        return out;
    }

    /** Writes a known_hosts file listing this server's keys; returns it. */
    public Path writeKnownHosts(Path file) throws IOException {
        Files.write(file, knownHostsLines());
        return file;
    }

    public String log() throws IOException { return Files.readString(log, StandardCharsets.UTF_8); }

    /** How many TCP connections sshd accepted so far ("Connection from ..." lines: only at LogLevel VERBOSE or more). */
    public long connections() throws IOException {
        return log().lines().filter(l -> l.contains("Connection from")).count();
    }

    /** How many logins sshd accepted so far ("Accepted publickey for ..." lines): one per SSH connection. */
    public long acceptedLogins() throws IOException {
        return log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    public boolean isAlive() { return process.isAlive(); }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final Path dir;
        private final List<String> authorized = new ArrayList<>();
        private final List<String> hostKeyTypes = new ArrayList<>();
        private final List<String> extra = new ArrayList<>();
        private List<Path> reuseHostKeys;
        private int fixedPort;
        private final List<String> moreAddresses = new ArrayList<>();

        private Builder(Path dir) { this.dir = dir; }

        /** Adds the public key (a {@code .pub} file) to authorized_keys. */
        public Builder authorize(Path publicKeyFile) throws IOException {
            authorized.add(Files.readString(publicKeyFile).trim());
            return this;
        }

        /** Host key types to generate (ed25519, ecdsa, rsa); ed25519 when none is given. */
        public Builder hostKey(String type) {
            hostKeyTypes.add(type);
            return this;
        }

        /** Uses existing host key files instead of generating (e.g. the same server, restarted). */
        public Builder hostKeys(List<Path> keys) {
            reuseHostKeys = keys;
            return this;
        }

        /** Listens on this port instead of a free one (e.g. to restart a server where clients expect it). */
        public Builder port(int port) {
            fixedPort = port;
            return this;
        }

        /** Also listens on these (loopback) addresses, same port: one server that several host names reach. */
        public Builder alsoListenOn(List<String> addresses) {
            moreAddresses.addAll(addresses);
            return this;
        }

        /** An extra sshd_config line, e.g. {@code MaxSessions 3}. */
        public Builder config(String line) {
            extra.add(line);
            return this;
        }

        public Sshd start() throws IOException, InterruptedException {
            if (!Files.isExecutable(SSHD)) {
                throw new IllegalStateException("these tests need OpenSSH's sshd: install openssh-server (apt-get install -y openssh-server)");
            }
            Files.createDirectories(dir);
            Path home = dir.resolve("home");
            Files.createDirectories(home);
            for (String f : List.of(".bashrc", ".profile")) {
                Path skel = Path.of("/etc/skel", f);
                if (Files.exists(skel) && !Files.exists(home.resolve(f))) Files.copy(skel, home.resolve(f));
            }
            List<Path> keys = new ArrayList<>();
            if (reuseHostKeys != null) {
                keys.addAll(reuseHostKeys);
            } else {
                if (hostKeyTypes.isEmpty()) hostKeyTypes.add("ed25519");
                for (String t : hostKeyTypes) {
                    Path k = dir.resolve("ssh_host_" + t + "_key");
                    if (!Files.exists(k)) Keys.keygen(k, t, false, null, "host");
                    keys.add(k);
                }
            }
            Path authorizedKeys = dir.resolve("authorized_keys");
            Files.write(authorizedKeys, authorized);
            Path privsep = Path.of("/run/sshd");
            if (!Files.isDirectory(privsep)) Files.createDirectories(privsep);

            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = fixedPort > 0 ? fixedPort : freePort();
                Path config = dir.resolve("sshd_config");
                // sshd keeps the first value of a keyword: the test's own lines go first, to override the defaults
                List<String> lines = new ArrayList<>(extra);
                lines.addAll(List.of(
                        "ListenAddress 127.0.0.1:" + port,
                        "PidFile none",
                        "AuthorizedKeysFile " + authorizedKeys,
                        "PermitRootLogin yes",
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "UsePAM no",
                        "StrictModes no",
                        "PrintMotd no",
                        "PrintLastLog no",
                        "AllowTcpForwarding yes",
                        "SetEnv HOME=" + home,
                        "LogLevel INFO"));
                for (String a : moreAddresses) lines.add("ListenAddress " + a + ":" + port);
                for (Path k : keys) lines.add("HostKey " + k);
                Files.write(config, lines);
                Path log = dir.resolve("sshd.log");
                Files.deleteIfExists(log);
                Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                Sshd sshd = new Sshd(dir, port, p, log, List.copyOf(keys));
                try {
                    awaitBanner(sshd);
                    return sshd;
                } catch (IOException e) {
                    sshd.close();
                    last = e;
                    if (fixedPort > 0 || !Files.readString(log).contains("Address already in use")) throw e;
                }
            }
            throw last;
        }
    }

    private static void awaitBanner(Sshd sshd) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.process.isAlive()) {
                throw new IOException("sshd exited with " + sshd.process.exitValue() + ": " + sshd.log().strip());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(sshd.host(), sshd.port), 500);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] b = new byte[4];
                if (in.readNBytes(b, 0, 4) == 4 && new String(b, StandardCharsets.US_ASCII).equals("SSH-")) return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("sshd did not answer with an SSH banner within " + START_TIMEOUT.toSeconds() + "s: " + sshd.log().strip());
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
