package io.triaready.cli;

import java.util.function.Supplier;

import io.triaready.history.HistoryStore;
import io.triaready.history.StoreSpec;

/** The history store, opened only if a command needs it (a file argument does not). */
final class LazyStore implements Supplier<HistoryStore> {
    private final StoreSpec spec;
    private HistoryStore store;

    LazyStore(StoreSpec spec) {
        this.spec = spec;
    }

    @Override
    public HistoryStore get() {
        if (store == null) store = spec.open();
        return store;
    }
}
