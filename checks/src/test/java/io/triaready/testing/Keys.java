package io.triaready.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** SSH keys made by the real ssh-keygen, so the tests read exactly what users' machines have. */
public final class Keys {
    private Keys() {}

    /**
     * Generates {@code file} and {@code file.pub}.
     *
     * @param type       ed25519, ecdsa or rsa
     * @param pem        PEM (PKCS#1 / SEC1) instead of the OpenSSH format; ignored by ssh-keygen for ed25519
     * @param passphrase encrypts the key, or null
     */
    public static Path keygen(Path file, String type, boolean pem, String passphrase, String comment) throws IOException, InterruptedException {
        return keygen(file, type, pem ? "PEM" : null, passphrase, comment);
    }

    /** As above with ssh-keygen's {@code -m} format: null (OpenSSH), PEM or PKCS8. */
    public static Path keygen(Path file, String type, String format, String passphrase, String comment) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase == null ? "" : passphrase,
                "-C", comment, "-f", file.toString()));
        if (type.equals("rsa")) cmd.addAll(List.of("-b", "2048"));
        if (type.equals("ecdsa")) cmd.addAll(List.of("-b", "256"));
        if (format != null) cmd.addAll(List.of("-m", format));
        run(cmd, null);
        return file;
    }

    public static Path pub(Path key) { return Path.of(key + ".pub"); }

    /** Runs a command, failing with its output when it exits non-zero; returns stdout+stderr. */
    public static String run(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(cmd + " exited " + p.exitValue() + ": " + text);
        return text;
    }
}
