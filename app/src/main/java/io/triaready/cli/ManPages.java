package io.triaready.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine;

/**
 * Man pages in troff (the {@code man(7)} macros), one per visible command, made from the picocli model
 * so that they cannot drift from the options: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS (top page),
 * EXAMPLES, FILES, ENVIRONMENT, EXIT STATUS, SEE ALSO. The release build writes them with
 * {@code java -cp tria-ready.jar io.triaready.cli.ManPages DIR}. Written here rather than through
 * AsciidoctorJ's manpage backend: that needs JRuby in the build for what is a page of string formatting.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPages OUTPUT_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, String> page : pages(VersionProvider.version()).entrySet()) {
            Files.writeString(dir.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** File name ({@code tria-ready-audit.1}) → page, for the top command and every visible subcommand. */
    public static Map<String, String> pages(String version) {
        CommandLine root = TriaReady.newCommandLine(k -> null, Optional::empty);
        Map<String, String> out = new LinkedHashMap<>();
        add(root, version, out);
        return out;
    }

    private static void add(CommandLine cl, String version, Map<String, String> out) {
        CommandSpec spec = cl.getCommandSpec();
        out.put(spec.qualifiedName("-") + ".1", page(spec, version));
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (!s.usageMessage().hidden() && !out.containsKey(s.qualifiedName("-") + ".1")) add(sub, version, out);
        }
    }

    static String page(CommandSpec spec, String version) {
        String name = spec.qualifiedName("-");
        StringBuilder b = new StringBuilder();
        b.append(".\\\" Generated from the command line model by io.triaready.cli.ManPages; do not edit.\n");
        b.append(".TH ").append(quoted(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" ")
                .append(quoted("tria-ready " + version)).append(" \"tria-ready manual\"\n");
        b.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstLine(spec))).append('\n');

        b.append(".SH SYNOPSIS\n.B ").append(escape(spec.qualifiedName(" "))).append('\n');
        List<String> synopsis = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String opt = "\\fB" + escape(o.shortestName()) + "\\fR" + (o.arity().max() > 0 ? " \\fI" + escape(o.paramLabel()) + "\\fR" : "");
            synopsis.add(o.required() ? opt : "[" + opt + "]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String param = "\\fI" + escape(p.paramLabel()) + "\\fR" + (p.arity().max() > 1 ? "..." : "");
            synopsis.add(p.arity().min() > 0 ? param : "[" + param + "]");
        }
        if (!spec.subcommands().isEmpty()) synopsis.add("\\fICOMMAND\\fR [\\fIOPTIONS\\fR]");
        b.append(String.join("\n", synopsis)).append('\n');

        b.append(".SH DESCRIPTION\n");
        List<String> paragraphs = java.util.Arrays.stream(spec.usageMessage().description()).filter(l -> !l.isBlank()).toList();
        for (int i = 0; i < paragraphs.size(); i++) {
            if (i > 0) b.append(".PP\n");
            b.append(escape(paragraphs.get(i))).append('\n');
        }

        if (spec.options().stream().anyMatch(o -> !o.hidden()) || spec.positionalParameters().stream().anyMatch(p -> !p.hidden())) {
            b.append(".SH OPTIONS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                b.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(escape(describe(p))).append('\n');
            }
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) continue;
                List<String> names = new ArrayList<>();
                for (String n : o.names()) names.add("\\fB" + escape(n) + "\\fR");
                b.append(".TP\n").append(String.join(", ", names));
                if (o.arity().max() > 0) b.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
                b.append('\n').append(escape(describe(o))).append('\n');
            }
        }

        if (!spec.subcommands().isEmpty()) {
            b.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                CommandSpec s = e.getValue().getCommandSpec();
                if (s.usageMessage().hidden() || !e.getKey().equals(s.name())) continue;
                b.append(".TP\n\\fB").append(escape(s.name())).append("\\fR\n").append(escape(firstLine(s)))
                        .append(" See \\fB").append(escape(s.qualifiedName("-"))).append("\\fR(1).\n");
            }
        }

        List<String[]> examples = ManSections.examples(spec.name(), spec.parent() == null);
        if (!examples.isEmpty()) {
            b.append(".SH EXAMPLES\n");
            for (String[] ex : examples) {
                b.append(".PP\n").append(escape(ex[0])).append("\n.PP\n.RS 4\n.nf\n").append(escape(ex[1])).append("\n.fi\n.RE\n");
            }
        }
        section(b, "FILES", ManSections.files());
        section(b, "ENVIRONMENT", ManSections.environment());
        section(b, "EXIT STATUS", ManSections.exitStatus(spec.name(), spec.parent() == null));

        b.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) see.add("\\fBtria-ready\\fR(1)");
        for (CommandLine sibling : (spec.parent() == null ? spec : spec.parent()).subcommands().values()) {
            CommandSpec s = sibling.getCommandSpec();
            if (!s.usageMessage().hidden() && s != spec && !s.name().equals("help")) see.add("\\fB" + escape(s.qualifiedName("-")) + "\\fR(1)");
        }
        b.append(String.join(", ", see.stream().distinct().toList())).append('\n');
        b.append(".PP\nThe full documentation is in the docs/ folder of the source and at /usr/share/doc/tria-ready.\n");
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String[]> rows) {
        if (rows.isEmpty()) return;
        b.append(".SH ").append(title).append('\n');
        for (String[] r : rows) b.append(".TP\n\\fB").append(escape(r[0])).append("\\fR\n").append(escape(r[1])).append('\n');
    }

    private static String firstLine(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    /** The option's description with picocli's ${DEFAULT-VALUE} and friends resolved, on one line. */
    private static String describe(ArgSpec a) {
        String[] lines = a.renderedDescription();
        return String.join(" ", lines).strip();
    }

    private static String quoted(String s) { return "\"" + escape(s).replace("\"", "\\(dq") + "\""; }

    /**
     * Text as troff shows it literally: backslashes doubled, a leading dot or quote neutralised (it
     * would start a request), hyphens in option names kept as minus signs so they can be copied.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        String[] lines = s.replace("\\", "\\e").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(".") || line.startsWith("'")) b.append("\\&");
            b.append(line.replace("-", "\\-"));
            if (i < lines.length - 1) b.append('\n');
        }
        return b.toString();
    }
}
