package io.triaready.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Report formats by name and file extension. A new format is one class and one line in {@link #builtins()}. */
public final class Renderers {
    private final Map<String, Renderer> byFormat = new LinkedHashMap<>();

    public Renderers(List<Renderer> renderers) {
        for (Renderer r : renderers) byFormat.put(r.format(), r);
    }

    public static Renderers builtins() {
        return new Renderers(List.of(
                new TextRenderer(),
                new JsonRenderer(),
                new SummaryRenderer(),
                new JunitRenderer(),
                new MarkdownRenderer(),
                new HtmlRenderer(),
                new PrometheusRenderer(),
                new GithubRenderer(),
                new NagiosRenderer()));
    }

    public Optional<Renderer> byFormat(String format) { return Optional.ofNullable(byFormat.get(format)); }

    /** The renderer for a file name's extension ({@code report.xml} → junit), if any. */
    public Optional<Renderer> byFileName(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        for (Renderer r : byFormat.values()) {
            for (String ext : r.extensions()) if (lower.endsWith("." + ext)) return Optional.of(r);
        }
        return Optional.empty();
    }

    public java.util.Collection<String> formats() { return byFormat.keySet(); }
}
