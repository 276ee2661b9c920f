package io.triaready.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import io.triaready.engine.RunResult;
import io.triaready.report.RenderOptions;
import io.triaready.report.Renderer;
import io.triaready.report.Renderers;
import io.triaready.report.ReportWriter;
import picocli.CommandLine.Option;

/** Where reports go: the terminal in one format, and any number of files (format from the extension). */
public final class OutputOptions {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Format for standard output: text (default), json, junit, markdown, html, prometheus.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Also write a report to FILE; the format follows the extension (.json, .xml, .md, .html, .prom, .txt). Repeatable.")
    List<Path> outputs = List.of();

    @Option(names = {"-q", "--quiet"}, description = "Print nothing to standard output (files given with -o are still written).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Show evidence for passing checks too.")
    boolean verbose;

    /** The format for standard output (text unless --format), or null when --quiet. */
    String stdoutFormat() { return quiet ? null : format == null ? "text" : format; }

    /** Checks every format and file name before anything runs: a typo must not cost a whole audit. */
    void validate(Renderers renderers) {
        if (format != null && renderers.byFormat(format).isEmpty()) {
            throw new UserError("--format " + format + ": unknown format (use " + String.join(", ", renderers.formats()) + ")");
        }
        for (Path p : outputs) {
            if (renderers.byFileName(p.getFileName().toString()).isEmpty()) {
                throw new UserError("-o " + p + ": cannot tell the format from the extension (use .json, .xml, .md, .html, .prom or .txt)");
            }
        }
    }

    void emit(RunResult result, Renderers renderers, ReportWriter writer, boolean color, PrintWriter stdout, PrintWriter stderr) {
        emit(result, renderers, writer, color, stdout, stderr, List.of());
    }

    /** @param history earlier scores of the same playbook, target and scope, oldest first, for formats that draw a trend */
    void emit(RunResult result, Renderers renderers, ReportWriter writer, boolean color, PrintWriter stdout, PrintWriter stderr,
              List<RenderOptions.HistoryPoint> history) {
        for (Path p : outputs) {
            Renderer r = renderers.byFileName(p.getFileName().toString()).orElseThrow();
            try {
                writer.write(r, result, new RenderOptions(false, verbose, history), p);
            } catch (IOException e) {
                stderr.println("tria-ready: cannot write " + p + ": " + e.getMessage());
            }
        }
        if (quiet) return;
        Renderer r = renderers.byFormat(format == null ? "text" : format).orElseThrow();
        try {
            writer.write(r, result, new RenderOptions(color && r.format().equals("text"), verbose, history), stdout);
        } catch (IOException e) {
            stderr.println("tria-ready: cannot print the report: " + e.getMessage());
        }
    }
}
