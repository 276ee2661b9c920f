package io.triaready.cli;

import java.io.IOException;

import picocli.CommandLine.Mixin;

/**
 * A command that reads the history store and prints its own text or JSON (history, diff): the
 * {@code --store}, {@code --format text|json} and {@code --ascii} options, the format checked before anything is read.
 */
abstract class StoreQuery extends Subcommand {
    @Mixin
    TextOrJson output;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws IOException {
        output.validate();
        return query();
    }

    /** Runs the command once its format is known to be text or json. */
    abstract int query() throws IOException;
}
