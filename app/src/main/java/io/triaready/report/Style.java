package io.triaready.report;

/** ANSI styling for terminal output, or none ({@code on} false: piped, NO_COLOR, --no-color). */
public record Style(boolean on) {
    String wrap(String code, String t) { return on ? "\u001b[" + code + "m" + t + "\u001b[0m" : t; }

    public String bold(String t) { return wrap("1", t); }

    public String dim(String t) { return wrap("2", t); }

    public String red(String t) { return wrap("31", t); }

    public String green(String t) { return wrap("32", t); }

    public String yellow(String t) { return wrap("33", t); }

    public String cyan(String t) { return wrap("36", t); }
}
