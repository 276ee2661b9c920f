package io.triaready.cli;

import java.util.function.Function;

import io.triaready.history.StoreSpec;
import picocli.CommandLine.Option;

/** Where the history of audits is kept. */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "DIR|URL",
            description = {"History store: a directory, or jdbc:postgresql://HOST/DB?user=U (password via $${env:NAME} in the URL or TRIA_READY_STORE_PASSWORD).",
                    "Default: $TRIA_READY_STORE, else $XDG_STATE_HOME/tria-ready (~/.local/state/tria-ready)."})
    String store;

    /** The store's location, checked for mistakes (one line, exit 2) but not contacted. */
    StoreSpec spec(Function<String, String> env) {
        try {
            return StoreSpec.resolve(store, env);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
