package io.triaready.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a command as root through sudo without ever putting a password on a command line (where
 * {@code ps} and audit logs would show it): the password goes to sudo's stdin ({@code -S}) with an
 * empty prompt. The command itself reads /dev/null, so when sudo does not need the password (NOPASSWD,
 * a cached ticket, root) the unread password is never handed to the command instead. Without a
 * password sudo runs non-interactively ({@code -n}) and fails at once rather than waiting for one.
 */
public final class Sudo {
    private Sudo() {}

    public static String wrap(String command, boolean withPassword) {
        return wrap(command, withPassword, "");
    }

    /**
     * Like {@link #wrap(String, boolean)}, with {@code preamble} run as root first, while stdin is still
     * open: how {@link SecretEnv} hands secrets to a sudo command (sudo passes no environment through).
     */
    public static String wrap(String command, boolean withPassword, String preamble) {
        String inner = Shell.quote(preamble + "exec </dev/null; " + command);
        String viaSudo = withPassword ? "sudo -S -p '' -- sh -c " + inner : "sudo -n -- sh -c " + inner;
        // a root session needs no sudo, and minimal images and containers have none
        return "if [ \"$(id -u)\" = 0 ]; then sh -c " + inner + "; else " + viaSudo + "; fi";
    }

    /** What to write to the wrapped command's stdin. */
    public static byte[] stdin(String password) {
        return (password + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Turns sudo's own refusals into one clear line; a command's failure stays the command's result. */
    public static void check(ExecResult r, String host) throws IOException {
        if (r.exitCode() == 0) return;
        String err = r.stderr() == null ? "" : r.stderr();
        String first = HostTransport.firstLine(err);
        if (r.exitCode() == 127 && (first.contains("sudo: not found") || first.contains("sudo: command not found")
                || first.endsWith("sudo: No such file or directory"))) {
            throw new IOException("sudo is not installed on " + host);
        }
        if (!first.startsWith("sudo:") && !err.contains("Sorry, try again")) return;
        if (err.contains("a password is required")) {
            throw new IOException("sudo on " + host + " needs a password: set sudo_password: ${env:...} for the host");
        }
        if (err.contains("incorrect password") || err.contains("Sorry, try again") || err.contains("no password was provided")) {
            throw new IOException("sudo on " + host + " rejected the sudo_password");
        }
        if (err.contains("not in the sudoers file") || err.contains("is not allowed to") || err.contains("may not run sudo")) {
            throw new IOException("sudo on " + host + ": the user may not run this command with sudo");
        }
    }
}
