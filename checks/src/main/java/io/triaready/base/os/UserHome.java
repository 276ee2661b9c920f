package io.triaready.base.os;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The user's home, as every Unix tool finds it: {@code $HOME} when it is set to an absolute path, else
 * the password database (Java's {@code user.home}). Java itself reads only the latter, so a job that
 * points HOME at another directory (another ~/.ssh, a CI workspace) would otherwise be ignored.
 */
public final class UserHome {
    private UserHome() {}

    public static Path of(Function<String, String> env) {
        String home = env.apply("HOME");
        if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) return Path.of(home);
        return Path.of(System.getProperty("user.home"));
    }

    /** A path as a user writes it in a playbook or inventory: a leading {@code ~/} is the user's home. */
    public static Path path(String text) {
        return text.startsWith("~/") ? get().resolve(text.substring(2)) : Path.of(text);
    }

    /** The process's home. */
    public static Path get() { return of(System::getenv); }
}
