package io.triaready.report;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External validators the report tests run (xmllint, promtool, chromium): found on PATH or the test fails with how to install them. */
final class Tools {
    record Result(int exit, String stdout, String stderr) {
        String all() { return stdout + stderr; }
    }

    private Tools() {}

    /** The executable on PATH; fails the test with an install hint when it is missing. */
    static String require(String name, String installHint) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return fail(name + " not found on PATH; install it: " + installHint);
    }

    /** Runs a command to completion, or kills it (and its children) after the timeout and fails. */
    static Result run(Duration timeout, Path workDir, List<String> command) {
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    fail(command.get(0) + " did not finish within " + timeout + ": " + Files.readString(err, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            // Chromium may leave helper processes behind for a moment; make sure none outlive the test.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
