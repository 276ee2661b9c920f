package io.triaready.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.triaready.base.secret.MaskingWriter;
import io.triaready.base.secret.Secrets;
import io.triaready.base.trace.Trace;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.builtin.BuiltIns;
import io.triaready.progress.Terminals;
import io.triaready.spi.SpeedTricks;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The top-level command. Each subcommand is one class; user mistakes are one line and exit code 2. */
@Command(name = "tria-ready", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Audits an environment against a production-readiness playbook and prints a scored report.", ""},
        footer = {"", "Exit codes: 0 ready · 1 not ready or blocked · 2 bad input · 73 a report not written · 130 interrupted · 143 terminated.",
                "Start with: tria-ready audit --playbook baseline"})
public final class TriaReady implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** An audit's connections started before its command line is parsed; closed unused unless the audit takes them. */
    Headstart headstart = Headstart.NONE;

    /** An audit's hold on the JVM's exit after SIGINT or SIGTERM, until its partial report is written. */
    Interruption interruption = Interruption.NONE;

    /** When this command started: {@code --deadline} counts from here. */
    final java.time.Instant started = java.time.Instant.now();

    private final Function<String, String> env;
    private final Supplier<Optional<Terminal>> terminal;

    /**
     * @param env the environment (the store location, CI, the locale...)
     * @param terminal the user's terminal when standard output is one, for live progress
     */
    TriaReady(Function<String, String> env, Supplier<Optional<Terminal>> terminal) {
        this.env = env;
        this.terminal = terminal;
    }

    /** An environment variable, or null. */
    String env(String name) { return env.apply(name); }

    Function<String, String> env() { return env; }

    Optional<Terminal> terminal() { return terminal.get(); }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required (audit, list, explain, validate, report, diff, history, completion; see 'tria-ready --help')");
    }

    /**
     * The subcommands, in help order. Registered here rather than in {@code @Command(subcommands=...)}
     * so that a run of one command builds picocli's model of that command only: the model is built
     * from annotations by reflection, ~30 ms per command on a cold JVM.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("audit", AuditCommand::new);
        COMMANDS.put("fix", FixCommand::new);
        COMMANDS.put("attest", AttestCommand::new);
        COMMANDS.put("list", ListCommand::new);
        COMMANDS.put("explain", ExplainCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("report", ReportCommand::new);
        COMMANDS.put("diff", DiffCommand::new);
        COMMANDS.put("history", HistoryCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
        COMMANDS.put("__complete", CompleteCommand::new); // hidden: values for the completion script
        // a lambda, not CommandLine.HelpCommand::new: JDK 25 crashes making an AOT cache that holds a
        // constructor reference to a pre-Java-6 class (picocli's are class-file version 49)
        COMMANDS.put("help", () -> new CommandLine.HelpCommand());
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System::getenv, Terminals::system);
    }

    /** With a given environment and terminal instead of the process's (tests; the start-up archive's {@link Training}). */
    static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env, Supplier<Optional<Terminal>> terminal) {
        boolean debug = Arrays.asList(args).contains("--debug");
        // commands that connect to hosts: an audit starts connecting, a fix loads its transports' code,
        // while the command line is parsed
        boolean audit = args.length > 0 && args[0].equals("audit");
        // an audit interrupted from here on writes the report of what exists (Interruption)
        Interruption interruption = audit ? Interruption.install() : Interruption.NONE;
        // --no-speed-tricks or TRIA_READY_SPEED_TRICKS=off: no connecting or warming up ahead (SpeedTricks)
        boolean tricks = SpeedTricks.of(Arrays.asList(args).contains(AuditCommand.NO_SPEED_TRICKS), env.apply(SpeedTricks.ENV)).on();
        Headstart headstart = audit && tricks ? Headstart.start(args) : Headstart.NONE;
        if (args.length > 0 && args[0].equals("fix") && tricks) BuiltIns.warmUpInBackground();
        try (interruption; headstart) {
            return run(args, out, err, env, terminal, headstart, interruption, debug);
        }
    }

    private static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env, Supplier<Optional<Terminal>> terminal,
                           Headstart headstart, Interruption interruption, boolean debug) {
        CommandLine cl = newCommandLine(env, terminal, args.length > 0 ? args[0] : null);
        Trace.mark("command model built");
        ((TriaReady) cl.getCommand()).headstart = headstart;
        ((TriaReady) cl.getCommand()).interruption = interruption;
        // UTF-8 whatever the locale: the streams Main passes either take UTF-8 or turn it into ASCII
        // stand-ins (ConsoleCharset); PrintWriter(OutputStream) would encode with the locale's charset first
        PrintWriter errWriter = utf8(err);
        cl.setOut(utf8(out));
        cl.setErr(errWriter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(new OneLineMistakes());
        cl.setExecutionExceptionHandler(new Failures(debug));
        cl.setExecutionStrategy(new NoEmptyValues());
        String badArgFile = unreadableArgumentFile(args);
        if (badArgFile != null) {
            errWriter.println("tria-ready: " + badArgFile);
            return ExitCodes.BAD_INPUT;
        }
        return cl.execute(args);
    }

    /**
     * An option given an empty value ({@code -p ""}, {@code -o ""}, {@code --store ""}, often an unset
     * shell variable) is a mistake, one line and exit 2, before the command runs: read as a path, ""
     * is the current directory, and {@code -p ""} used to load it silently. Options whose value is
     * optional ({@code fix --clear-lock [NAME]}) are left alone: picocli records their absent value as "". The hidden
     * {@code __complete} is left alone: the word being completed may well be empty.
     */
    private static final class NoEmptyValues implements CommandLine.IExecutionStrategy {
        @Override
        public int execute(CommandLine.ParseResult parseResult) {
            for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
                if (r.commandSpec().name().equals("__complete")) break;
                for (CommandLine.Model.OptionSpec o : r.matchedOptions()) {
                    if (o.arity().min() > 0 && o.originalStringValues().stream().anyMatch(String::isEmpty)) {
                        throw new CommandLine.ParameterException(r.commandSpec().commandLine(),
                                "option '" + o.longestName() + "' needs a " + o.paramLabel() + ", not an empty string", o, "");
                    }
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        }
    }

    private static PrintWriter utf8(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8), true);
    }

    /** Largest {@code @FILE} of arguments read: a page of options, not a disk. */
    static final long MAX_ARGUMENT_FILE_BYTES = 1024 * 1024;

    /**
     * picocli replaces {@code @FILE} by the file's arguments before parsing, and an unreadable one
     * (a directory, a FIFO that blocks forever, /dev/zero) ends in its stack trace or a hang, outside
     * every handler. Such an argument is a mistake named in one line (null when there is none). An
     * {@code @name} that is no file stays a plain argument, as picocli has it.
     */
    static String unreadableArgumentFile(String[] args) {
        for (String a : args) {
            // no stop at "--": picocli expands @FILE after it too (found by CommandLineFuzzTest)
            if (!a.startsWith("@") || a.startsWith("@@") || a.length() == 1) continue;
            java.nio.file.Path p;
            try {
                p = java.nio.file.Path.of(a.substring(1));
            } catch (java.nio.file.InvalidPathException e) {
                continue;
            }
            if (!java.nio.file.Files.exists(p)) continue;
            String why = null;
            try {
                if (java.nio.file.Files.isDirectory(p)) why = "it is a directory";
                else if (!java.nio.file.Files.isRegularFile(p)) why = "not a regular file";
                else if (!java.nio.file.Files.isReadable(p)) why = "permission denied";
                else if (java.nio.file.Files.size(p) > MAX_ARGUMENT_FILE_BYTES) why = "larger than " + MAX_ARGUMENT_FILE_BYTES / 1024 + " KiB";
            } catch (java.io.IOException e) {
                why = "cannot read it";
            }
            if (why != null) return "argument file " + a + ": " + why + " (an argument starting with @ names a file of arguments; write @@ for a literal @)";
        }
        return null;
    }

    /** The command tree, as completion scripts and man pages see it. */
    static CommandLine newCommandLine(Function<String, String> env, Supplier<Optional<Terminal>> terminal) {
        return newCommandLine(env, terminal, null);
    }

    /**
     * The tree with only {@code first} under the root when it names a command that does not need the
     * others (help and completion list them all; anything else, a typo included, gets all for its
     * "did you mean").
     */
    private static CommandLine newCommandLine(Function<String, String> env, Supplier<Optional<Terminal>> terminal, String first) {
        CommandLine cl = new CommandLine(new TriaReady(env, terminal));
        boolean one = first != null && COMMANDS.containsKey(first) && !first.equals("help") && !first.equals("completion");
        for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
            if (!one || c.getKey().equals(first)) cl.addSubcommand(c.getKey(), c.getValue().get());
        }
        return cl;
    }

    /*
     * The two handlers are classes rather than lambdas: a lambda for one of picocli's interfaces
     * (class-file version 49) keeps the interface, the lambda and picocli's default handler out of
     * the JDK 17 start-up archive.
     */

    /** A mistake on the command line: one line, exit 2. */
    private static final class OneLineMistakes implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                message += " (did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).map(s -> "'" + s + "'").toList()) + "?)";
            }
            cmd.getErr().println(cmd.getCommandName().equals("tria-ready") ? "tria-ready: " + message
                    : "tria-ready " + cmd.getCommandName() + ": " + message + " (see 'tria-ready " + cmd.getCommandName() + " --help')");
            return ExitCodes.BAD_INPUT;
        }
    }

    /** What a command threw: a user's mistake (exit 2) or a bug (exit 70, a stack trace only with --debug). */
    record Failures(boolean debug) implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            if (ex instanceof PlaybookException pe) {
                for (Problem p : pe.problems()) cmd.getErr().println(p);
                if (pe.problems().size() > 1) cmd.getErr().println(pe.problems().size() + " problems found");
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof UserError) {
                cmd.getErr().println("tria-ready: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            // a bug's message and stack trace can hold anything the command had in hand: masked with every
            // secret the process was told, since no run's own registry is at hand here
            PrintWriter err = new PrintWriter(new MaskingWriter(cmd.getErr(), Secrets.everyKnown()), true);
            err.println("tria-ready: internal error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                    + (debug ? "" : " (run again with --debug for details)"));
            if (debug) ex.printStackTrace(err);
            err.flush();
            return ExitCodes.INTERNAL;
        }
    }
}
