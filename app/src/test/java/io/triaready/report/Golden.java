package io.triaready.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.triaready.core.engine.RunResult;

/**
 * Golden files under {@code app/src/test/resources/golden/}. After an intended change to a format,
 * regenerate them and review the diff:
 * {@code mvn -q -B -o -pl checks,app -am test -Dtest='*RendererTest' -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}.
 * On a mismatch the actual output is written next to the build ({@code app/target/golden-actual/}) for diffing.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {}

    static String render(Renderer renderer, RunResult result, RenderOptions options) {
        StringWriter w = new StringWriter();
        try {
            renderer.render(result, options, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static void check(String name, String actual) {
        Path golden = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(golden)) {
                fail("golden file " + golden.toAbsolutePath() + " is missing: generate it with -Dgolden.update=true and review it");
            }
            String expected = Files.readString(golden, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                Path dump = Path.of("target/golden-actual").resolve(name);
                Files.createDirectories(dump.getParent());
                Files.writeString(dump, actual, StandardCharsets.UTF_8);
                assertThat(actual).as("output differs from %s (actual written to %s; if the change is intended, rerun with "
                        + "-Dgolden.update=true and review the diff)", golden, dump.toAbsolutePath()).isEqualTo(expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the text to a temporary file for an external tool (xmllint, promtool, chromium). */
    static Path temp(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
