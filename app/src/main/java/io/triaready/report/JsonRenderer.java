package io.triaready.report;

import java.io.IOException;
import java.io.Writer;

import io.triaready.core.engine.RunResult;

/** The source-of-truth format: every other report can be re-rendered from it ({@code tria-ready report}). */
public final class JsonRenderer extends FormatRenderer {
    public JsonRenderer() { super("json", "json"); }

    @Override
    public void render(RunResult result, RenderOptions options, Writer out) throws IOException {
        ResultJson.write(result, out);
    }
}
