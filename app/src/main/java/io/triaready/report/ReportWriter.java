package io.triaready.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.triaready.engine.RunResult;
import io.triaready.secret.Secrets;

/**
 * Renders a report and delivers it: every secret known to the run is masked in the complete text
 * first, and files are written atomically (a temporary file in the same directory, then a rename),
 * so a reader never sees half a report and a crash never leaves one.
 */
public final class ReportWriter {
    private final Secrets secrets;

    public ReportWriter(Secrets secrets) {
        this.secrets = secrets;
    }

    public String render(Renderer renderer, RunResult result, RenderOptions options) throws IOException {
        StringWriter buf = new StringWriter();
        renderer.render(result, options, buf);
        return secrets.mask(buf.toString());
    }

    public void write(Renderer renderer, RunResult result, RenderOptions options, Writer out) throws IOException {
        out.write(render(renderer, result, options));
        out.flush();
    }

    public void write(Renderer renderer, RunResult result, RenderOptions options, Path file) throws IOException {
        writeAtomically(file, render(renderer, result, options));
    }

    public static void writeAtomically(Path file, String content) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
