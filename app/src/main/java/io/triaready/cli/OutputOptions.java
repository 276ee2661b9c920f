package io.triaready.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import io.triaready.core.engine.RunResult;
import io.triaready.report.NagiosRenderer;
import io.triaready.report.RenderOptions;
import io.triaready.report.Renderer;
import io.triaready.report.Renderers;
import io.triaready.report.ReportWriter;
import picocli.CommandLine.Option;

/** Where reports go: the terminal in one format, and any number of files (format from the extension). */
public final class OutputOptions {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Format for standard output: text (default), json, summary, junit, markdown, html, prometheus, "
                    + "github (workflow annotations; the Markdown report is appended to $GITHUB_STEP_SUMMARY), "
                    + "nagios (a monitoring plugin's status line; the exit code is the plugin's 0-3).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "[FORMAT:]FILE",
            description = "Also write a report to FILE; the format follows the extension (.json, .xml, .md, .html, .prom, .txt), "
                    + "or is named before a colon for a file without one (md:$GITHUB_STEP_SUMMARY). Repeatable.")
    List<String> outputs = List.of();

    /** {@code $GITHUB_STEP_SUMMARY}, where {@code -f github} appends the Markdown report; set by the command. */
    String githubStepSummary;

    /** A report file and its format. */
    record Output(Renderer renderer, Path path) {}

    /** Short names accepted before the colon of {@code -o FORMAT:FILE}, beside the format names. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.of("md", "markdown", "xml", "junit", "prom", "prometheus",
            "txt", "text", "html", "html", "json", "json");

    @Option(names = {"-q", "--quiet"}, description = "Print nothing to standard output (files given with -o are still written).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Show evidence for passing checks too.")
    boolean verbose;

    /** The exit code of a run whose verdict gave {@code verdictCode}: the plugin's with {@code -f nagios}. */
    int exitCode(RunResult result, int verdictCode) {
        return "nagios".equals(format) ? NagiosRenderer.status(result).exitCode : verdictCode;
    }

    /**
     * The exit code when {@link #emit} could not write every report: {@link ExitCodes#REPORT_NOT_WRITTEN}
     * (73), or with {@code -f nagios}, whose exit codes must stay 0-3, UNKNOWN (3) instead of OK.
     */
    int exitCode(RunResult result, int verdictCode, boolean allWritten) {
        int code = exitCode(result, verdictCode);
        if (allWritten) return code;
        if ("nagios".equals(format)) return code == 0 ? 3 : code;
        return ExitCodes.REPORT_NOT_WRITTEN;
    }

    /** The format for standard output (text unless --format), or null when --quiet. */
    String stdoutFormat() { return quiet ? null : format == null ? "text" : format; }

    /** Checks every format and file name before anything runs: a typo must not cost a whole audit. */
    void validate(Renderers renderers) {
        if (format != null && renderers.byFormat(format).isEmpty()) {
            throw new UserError("--format " + format + ": unknown format (use " + String.join(", ", renderers.formats()) + ")");
        }
        for (String o : outputs) output(o, renderers);
    }

    /**
     * {@code FORMAT:FILE} when the part before the first colon names a format (or an alias: md, xml, prom,
     * txt), else a file whose extension gives the format. A file name with a colon and a known extension
     * still works ({@code reports/a:b.json}).
     */
    static Output output(String spec, Renderers renderers) {
        int colon = spec.indexOf(':');
        if (colon > 0 && colon < spec.length() - 1) {
            String name = spec.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            java.util.Optional<Renderer> named = renderers.byFormat(ALIASES.getOrDefault(name, name));
            if (named.isPresent()) return new Output(named.get(), path(spec.substring(colon + 1)));
        }
        if (spec.isBlank()) throw new UserError("-o: a file name is needed");
        Path p = path(spec);
        return renderers.byFileName(p.getFileName().toString()).map(r -> new Output(r, p)).orElseThrow(() -> new UserError("-o " + spec
                + ": cannot tell the format from the extension (use .json, .xml, .md, .html, .prom or .txt, or name it: -o md:" + spec + ")"));
    }

    /** A NUL (from an @FILE line) is no file name: a mistake, not an internal error. */
    private static Path path(String file) {
        try {
            return Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UserError("-o: not a file name (" + e.getReason() + ")");
        }
    }

    boolean emit(RunResult result, Renderers renderers, ReportWriter writer, boolean color, PrintWriter stdout, PrintWriter stderr) {
        return emit(result, renderers, writer, color, stdout, stderr, List.of());
    }

    /**
     * Writes every report; one that cannot be written is one line on stderr and does not stop the others.
     *
     * @param history earlier scores of the same playbook, target and scope, oldest first, for formats that draw a trend
     * @return whether every report was written (else the command exits {@link ExitCodes#REPORT_NOT_WRITTEN})
     */
    boolean emit(RunResult result, Renderers renderers, ReportWriter writer, boolean color, PrintWriter stdout, PrintWriter stderr,
              List<RenderOptions.HistoryPoint> history) {
        boolean allWritten = true;
        for (String o : outputs) {
            Output out = output(o, renderers);
            try {
                writer.write(out.renderer(), result, new RenderOptions(false, verbose, history), out.path());
            } catch (IOException | RuntimeException e) {
                stderr.println("tria-ready: cannot write " + out.path() + ": " + why(e));
                allWritten = false;
            }
        }
        if ("github".equals(format) && githubStepSummary != null && !githubStepSummary.isBlank()) {
            // GitHub renders the job summary from this file; steps append to it, so we do too
            try {
                String md = writer.render(renderers.byFormat("markdown").orElseThrow(), result, new RenderOptions(false, verbose, history));
                java.nio.file.Files.writeString(Path.of(githubStepSummary), md, java.nio.charset.StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                stderr.println("tria-ready: cannot append to $GITHUB_STEP_SUMMARY (" + githubStepSummary + "): " + why(e));
                allWritten = false;
            }
        }
        if (quiet) return allWritten;
        Renderer r = renderers.byFormat(format == null ? "text" : format).orElseThrow();
        try {
            writer.write(r, result, new RenderOptions(color && r.format().equals("text"), verbose, history), stdout);
        } catch (IOException e) {
            stderr.println("tria-ready: cannot print the report: " + why(e));
            allWritten = false;
        }
        return allWritten;
    }

    /**
     * Why a file could not be written, in words: the JDK's file-system exceptions carry only the file
     * name as their message ("/proc/x.json.tmp"), their reason ("Not a directory") apart, or none.
     */
    static String why(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + " is not a directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason().strip();
        if (e instanceof java.nio.file.InvalidPathException) return "not a valid path";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
