package io.triaready.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command under {@code tria-ready}: picocli injects its own model ({@link #spec}: its output
 * streams, its command line) and the top command ({@link #root}: the environment it runs in).
 * Every subcommand has the standard --help and --version options.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    TriaReady root;
}
