package io.triaready.history;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.triaready.base.os.UserHome;
import io.triaready.base.secret.Secrets;

/** Reads {@code --store} / {@code TRIA_READY_STORE} into a {@link StoreSpec}; see there. */
final class StoreSpecParser {
    /**
     * pgjdbc logs a WARNING through java.util.logging for a bad port before returning null; our own
     * one-line message says it better, so its logger is silenced (held here: loggers are weakly kept).
     */
    private static final java.util.logging.Logger PGJDBC_LOG = java.util.logging.Logger.getLogger("org.postgresql");

    static {
        PGJDBC_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private StoreSpecParser() {}

    static StoreSpec resolve(String flag, Function<String, String> env) {
        if (flag != null && !flag.isBlank()) return parse("--store " + shown(flag), flag.strip(), env);
        String fromEnv = env.apply(StoreSpec.STORE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return parse(StoreSpec.STORE_ENV + "=" + shown(fromEnv), fromEnv.strip(), env);
        String xdg = env.apply("XDG_STATE_HOME");
        // the XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home(env).resolve(".local").resolve("state");
        return new StoreSpec.Directory(base.resolve("tria-ready"));
    }

    private static Path home(Function<String, String> env) { return UserHome.of(env); }

    private static String shown(String value) { return new Secrets().mask(value); }

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    private static StoreSpec parse(String label, String spec, Function<String, String> env) {
        if (spec.startsWith("jdbc:")) {
            if (!spec.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(label + ": only PostgreSQL is supported (jdbc:postgresql://HOST[:PORT]/DATABASE)");
            }
            Secrets secrets = new Secrets();
            StringBuilder url = new StringBuilder();
            Matcher m = ENV_REF.matcher(spec);
            int last = 0;
            while (m.find()) {
                url.append(spec, last, m.start());
                String value = env.apply(m.group(1));
                if (value == null) throw new IllegalArgumentException(label + ": environment variable '" + m.group(1) + "' is not set");
                secrets.add(value);
                url.append(value);
                last = m.end();
            }
            url.append(spec.substring(last));
            if (url.indexOf("${") >= 0) {
                throw new IllegalArgumentException(label + ": only ${env:NAME} may be used in a store URL");
            }
            Properties parsed = org.postgresql.Driver.parseURL(url.toString(), null);
            if (parsed == null || !spec.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException(label + ": not a valid PostgreSQL URL (jdbc:postgresql://HOST[:PORT]/DATABASE?user=NAME)");
            }
            String pw = parsed.getProperty("password");
            if (pw != null) secrets.add(pw);
            Properties props = new Properties();
            String envPassword = env.apply(StoreSpec.PASSWORD_ENV);
            if (pw == null && envPassword != null && !envPassword.isEmpty()) {
                props.setProperty("password", envPassword);
                secrets.add(envPassword);
            }
            return new StoreSpec.Postgres(url.toString(), props, secrets);
        }
        if (spec.startsWith("postgres://") || spec.startsWith("postgresql://")) {
            throw new IllegalArgumentException(label + ": write PostgreSQL stores as jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        if (SCHEME.matcher(spec).matches() && spec.contains("://")) {
            throw new IllegalArgumentException(label + ": unsupported store (use a directory or jdbc:postgresql://...)");
        }
        Path dir;
        try {
            dir = spec.equals("~") ? home(env) : spec.startsWith("~/") ? home(env).resolve(spec.substring(2)) : Path.of(spec);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(label + ": not a valid path");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(label + ": not a directory");
        return new StoreSpec.Directory(dir.toAbsolutePath().normalize());
    }
}
