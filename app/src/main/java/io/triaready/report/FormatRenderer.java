package io.triaready.report;

import java.util.List;
import java.util.Objects;

/** A renderer declared by its {@code --format} name and the file extensions that select it for {@code -o FILE}. */
abstract class FormatRenderer implements Renderer {
    private final String format;
    private final List<String> extensions;

    FormatRenderer(String format, String... extensions) {
        this.format = Objects.requireNonNull(format, "format");
        this.extensions = List.of(extensions);
    }

    @Override
    public final String format() { return format; }

    @Override
    public final List<String> extensions() { return extensions; }
}
