package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * GitHub Actions workflow commands: each failing check becomes an annotation on its line of the
 * playbook ({@code ::error file=playbook.yaml,line=12,title=chromadb-connected::...}), a P0 check that
 * did not run (blocked, destructive, filtered out) a {@code ::warning}, and the verdict a {@code ::notice}.
 * The audit also appends the Markdown report to {@code $GITHUB_STEP_SUMMARY} when it is set
 * ({@code cli/OutputOptions}). The line of a check is read from the playbook file the run names
 * ({@code source}); a bundled playbook has none, and its annotations carry no file.
 */
public final class GithubRenderer extends FormatRenderer {
    public GithubRenderer() { super("github", "github"); }

    @Override
    public void render(RunResult r, RenderOptions options, Writer out) throws IOException {
        Path playbook = playbookFile(r.playbookSource());
        String text = null;
        if (playbook != null) {
            try {
                text = Files.readString(playbook, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                playbook = null; // moved or unreadable since the run: annotations without a place
            }
        }
        StringBuilder b = new StringBuilder(1024);
        for (CheckResult c : r.checks()) {
            String level;
            String message;
            if (c.outcome() == Outcome.FAIL || c.outcome() == Outcome.ERROR) {
                level = "error";
                message = c.outcome().id().toUpperCase(java.util.Locale.ROOT) + ": " + c.message();
            } else if (c.phase() == Phase.P0 && (c.outcome() == Outcome.BLOCKED || c.outcome() == Outcome.SKIPPED)) {
                level = "warning";
                message = "P0 check not run (" + c.outcome().id() + "): " + c.message();
            } else {
                continue;
            }
            b.append("::").append(level).append(' ');
            if (playbook != null) {
                b.append("file=").append(property(playbook.toString()));
                int line = lineOf(text, c.id());
                if (line > 0) b.append(",line=").append(line);
                b.append(',');
            }
            b.append("title=").append(property(c.id() + (c.title() == null ? "" : " — " + c.title())))
                    .append("::").append(data(message)).append('\n');
        }
        b.append("::notice title=tria-ready::").append(data(r.verdict().label() + (r.interrupted() ? " (interrupted)" : "") + ", score "
                + Fmt.score(r.score().value()) + ", " + r.score().total().passed() + "/" + r.score().total().evaluated()
                + " checks passing, " + r.playbookId() + " on " + r.target())).append('\n');
        out.write(b.toString());
    }

    private static Path playbookFile(String source) {
        if (source == null || source.startsWith("bundled:")) return null;
        Path p = Path.of(source);
        return Files.isRegularFile(p) ? p : null;
    }

    /** The 1-based line of {@code - id: ID} (or {@code id: ID}) in the playbook, 0 when not found. */
    static int lineOf(String text, String id) {
        Matcher m = Pattern.compile("(?m)^[ \\t-]*id:[ \\t]*[\"']?" + Pattern.quote(id) + "[\"']?[ \\t]*(#.*)?$").matcher(text);
        if (!m.find()) return 0;
        int line = 1;
        for (int i = 0; i < m.start(); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** A workflow command's message: %, CR and LF escaped (GitHub's toCommandValue). */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A workflow command's property value: as {@link #data}, and ':' and ',' too. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
