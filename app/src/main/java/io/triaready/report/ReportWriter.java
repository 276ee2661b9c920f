package io.triaready.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import io.triaready.base.secret.Secrets;
import io.triaready.core.engine.RunResult;

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
        // not Files.createTempFile: it makes the file 0600, and the rename would keep that, so node_exporter's
        // textfile collector (its own user) could not read a .prom. A new file gets the umask's mode (0644
        // under 022), as cp or a shell redirection would give it.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                w.write(content);
            }
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
