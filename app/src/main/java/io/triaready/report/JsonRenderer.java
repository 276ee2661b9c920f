package io.triaready.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import io.triaready.core.engine.RunResult;

/** The source-of-truth format: every other report can be re-rendered from it ({@code tria-ready report}). */
public final class JsonRenderer implements Renderer {
    @Override
    public String format() { return "json"; }

    @Override
    public List<String> extensions() { return List.of("json"); }

    @Override
    public void render(RunResult result, RenderOptions options, Writer out) throws IOException {
        ResultJson.write(result, out);
    }
}
