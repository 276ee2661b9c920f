package io.triaready.transport.ssh;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Verifies one host's key against a known_hosts file, as OpenSSH with {@code StrictHostKeyChecking=yes}
 * (or {@code accept-new} when {@code acceptNew}): a listed key passes; an unlisted host is refused with
 * the key's fingerprint, or appended to the file with accept-new; a host listed with a different key
 * is refused as CHANGED, always. Hashed entries ({@code |1|salt|hash}), {@code [host]:port} and
 * {@code @revoked} are understood through MINA's parser; {@code @cert-authority} lines are ignored
 * (host certificates are not supported).
 *
 * <p>The outcome of a refusal is kept in {@link #refusal()}, because MINA only reports "server key did
 * not validate" and the user needs to know why.
 */
final class HostKeyCheck {
    /** Appends to one known_hosts file never interleave (several hosts may be accepted at once). */
    private static final Map<Path, Object> FILE_LOCKS = new ConcurrentHashMap<>();

    private final String label;
    private final String hostName;
    private final int port;
    private final Path knownHosts;
    private final boolean acceptNew;
    private volatile String refusal;
    private volatile String added;

    HostKeyCheck(String label, String hostName, int port, Path knownHosts, boolean acceptNew) {
        this.label = label;
        this.hostName = hostName;
        this.port = port;
        this.knownHosts = knownHosts;
        this.acceptNew = acceptNew;
    }

    /** Why the key was refused (one line), or null. */
    String refusal() { return refusal; }

    /** The line appended to known_hosts under accept-new, or null. */
    String added() { return added; }

    /** Key types (e.g. ssh-ed25519, ssh-rsa) known_hosts lists for this host: the server is asked for these first. */
    Set<String> knownKeyTypes() {
        Set<String> types = new LinkedHashSet<>();
        try {
            for (Known k : lookup()) {
                if (!k.revoked()) types.add(k.type());
            }
        } catch (IOException e) {
            // verify() reports it
        }
        return types;
    }

    boolean verify(PublicKey key) {
        List<Known> known;
        try {
            known = lookup();
        } catch (IOException e) {
            refusal = "cannot read " + knownHosts + ": " + SshSettings.oneLine(e);
            return false;
        }
        for (Known k : known) {
            if (k.revoked() && k.key() != null && KeyUtils.compareKeys(k.key(), key)) {
                refusal = "host key " + describe(key) + " of " + name() + " is marked @revoked in " + knownHosts;
                return false;
            }
        }
        for (Known k : known) {
            if (!k.revoked() && k.key() != null && KeyUtils.compareKeys(k.key(), key)) return true;
        }
        List<String> listed = new ArrayList<>();
        for (Known k : known) {
            if (!k.revoked()) listed.add(k.key() == null ? k.type() : describe(k.key()));
        }
        if (!listed.isEmpty()) {
            refusal = "host key for " + name() + " has CHANGED: the server now offers " + describe(key) + ", "
                    + knownHosts + " lists " + String.join(", ", listed)
                    + ". This may be an attack (or the server was reinstalled): verify the new key with its admin, then replace the old line";
            return false;
        }
        if (acceptNew) {
            try {
                append(key);
                return true;
            } catch (IOException e) {
                refusal = "host key " + describe(key) + " of " + name() + " is new and could not be added to " + knownHosts + ": " + SshSettings.oneLine(e);
                return false;
            }
        }
        String scan = "ssh-keyscan " + (port == 22 ? "" : "-p " + port + " ") + hostName + " >> " + knownHosts;
        refusal = "host key for " + name() + " is not known (" + describe(key) + "): check the fingerprint, then add it with '"
                + scan + "' or run with --accept-new-host-keys";
        return false;
    }

    private String name() { return port == 22 ? hostName : "[" + hostName + "]:" + port; }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }

    private void append(PublicKey key) throws IOException {
        synchronized (FILE_LOCKS.computeIfAbsent(knownHosts.toAbsolutePath().normalize(), p -> new Object())) {
            for (Known k : lookup()) {
                if (k.key() != null && KeyUtils.compareKeys(k.key(), key)) return; // someone else added it meanwhile
            }
            StringBuilder line = new StringBuilder(name()).append(' ');
            PublicKeyEntry.appendPublicKeyEntry(line, key);
            Path dir = knownHosts.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) Files.createDirectories(dir);
            boolean needsNewline = Files.exists(knownHosts) && Files.size(knownHosts) > 0 && !endsWithNewline(knownHosts);
            try (Writer w = Files.newBufferedWriter(knownHosts, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                if (needsNewline) w.write('\n');
                w.write(line.toString());
                w.write('\n');
            }
            added = line.toString();
        }
    }

    private static boolean endsWithNewline(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        return all.length == 0 || all[all.length - 1] == '\n';
    }

    private record Known(String type, PublicKey key, boolean revoked) {}

    /** Entries of the file matching this host; a missing file is an empty one (every host unknown). */
    private List<Known> lookup() throws IOException {
        if (!Files.exists(knownHosts)) return List.of();
        List<KnownHostEntry> entries;
        try {
            entries = KnownHostEntry.readKnownHostEntries(knownHosts);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw new IOException(SshSettings.oneLine(e), e);
        }
        if (entries == null) return List.of();
        List<Known> out = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            String marker = e.getMarker();
            if (marker != null && !marker.isEmpty() && !marker.equalsIgnoreCase("revoked")) continue; // @cert-authority
            if (!e.isHostMatch(hostName, port)) continue;
            AuthorizedKeyEntry ke = e.getKeyEntry();
            if (ke == null) continue;
            PublicKey pk;
            try {
                pk = ke.resolvePublicKey(null, Collections.emptyMap(), PublicKeyEntryResolver.IGNORING);
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException ex) {
                pk = null;
            }
            out.add(new Known(KeyUtils.getCanonicalKeyType(ke.getKeyType()), pk, marker != null && marker.equalsIgnoreCase("revoked")));
        }
        return out;
    }

    @Override
    public String toString() { return "known_hosts check for " + label; }
}
