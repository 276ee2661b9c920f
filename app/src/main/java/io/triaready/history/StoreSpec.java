package io.triaready.history;

import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

import io.triaready.base.secret.Secrets;

/**
 * Where history lives, resolved from {@code --store}, else {@code TRIA_READY_STORE}, else the XDG
 * state directory ({@code $XDG_STATE_HOME/tria-ready}, default {@code ~/.local/state/tria-ready}).
 * Parsing checks the spelling only, so a mistake is reported before an audit runs; opening never
 * connects (the store is contacted when first used).
 */
public sealed interface StoreSpec {
    String STORE_ENV = "TRIA_READY_STORE";
    String PASSWORD_ENV = "TRIA_READY_STORE_PASSWORD";

    HistoryStore open();

    /** For messages: secrets masked. */
    String display();

    /** A directory on this machine. */
    record Directory(Path dir) implements StoreSpec {
        @Override
        public HistoryStore open() { return new FileStore(dir); }

        @Override
        public String display() { return dir.toString(); }
    }

    /** A PostgreSQL database (the URL may hold a password, so it is kept out of toString). */
    record Postgres(String url, Properties properties, Secrets secrets) implements StoreSpec {
        @Override
        public HistoryStore open() { return new PostgresStore(url, properties, secrets); }

        @Override
        public String display() { return secrets.mask(url); }

        @Override
        public String toString() { return "Postgres[" + display() + "]"; }
    }

    /**
     * @param flag the {@code --store} value, or null
     * @param env the environment
     * @throws IllegalArgumentException with a one-line message naming where the bad value came from
     */
    static StoreSpec resolve(String flag, Function<String, String> env) {
        return StoreSpecParser.resolve(flag, env);
    }
}
