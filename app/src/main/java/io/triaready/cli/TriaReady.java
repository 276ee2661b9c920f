package io.triaready.cli;

import java.io.PrintStream;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command. Each subcommand is one class. */
@Command(name = "tria-ready", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Audits an environment against a production-readiness playbook and prints a scored report.",
        subcommands = {CommandLine.HelpCommand.class})
public final class TriaReady implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try 'tria-ready --help')");
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new TriaReady());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }
}
