package io.triaready.cli;

import java.util.function.Function;

import picocli.CommandLine.Option;

/** {@code --format text|json} and {@code --ascii}, for the commands that print their own text (history, diff). */
public final class TextOrJson {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String format;

    @Option(names = "--ascii", description = "ASCII only (also when the locale is not UTF-8).")
    boolean ascii;

    /** One line and exit 2 for anything but text or json. */
    void validate() {
        if (!format.equals("text") && !format.equals("json")) throw new UserError("--format " + format + ": unknown format (use text or json)");
    }

    boolean json() { return format.equals("json"); }

    Glyphs glyphs(Function<String, String> env) { return Glyphs.of(ascii, env); }
}
