package io.triaready.report;

import java.io.IOException;
import java.io.Writer;

import io.triaready.core.engine.RunResult;

/**
 * Renders a {@link RunResult} in one format. Renderers never see secrets in clear: the writer that
 * receives their output masks every secret known to the run before anything reaches a file or terminal.
 */
public interface Renderer {
    /** The {@code --format} name: text, json, junit, markdown, html, prometheus. */
    String format();

    /** File extensions that select this format for {@code -o FILE} (without the dot). */
    java.util.List<String> extensions();

    void render(RunResult result, RenderOptions options, Writer out) throws IOException;
}
