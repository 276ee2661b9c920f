package io.triaready.report;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The shapes every JSON document tria-ready writes (results, history, diffs, fix records) builds on
 * Jackson's streaming generator: an array of one object per item, an array of strings, and a number
 * that is JSON null when there is none (a score of a run without data).
 */
public final class JsonOut {
    private JsonOut() {}

    /** Writes the fields of one item's object (between its braces). */
    @FunctionalInterface
    public interface ObjectFields<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    /** {@code "name": [{...}, ...]}: one object per item. */
    public static <T> void objects(JsonGenerator g, String name, Iterable<? extends T> items, ObjectFields<? super T> fields) throws IOException {
        g.writeArrayFieldStart(name);
        for (T item : items) {
            g.writeStartObject();
            fields.write(g, item);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code "name": ["a", "b"]}. */
    public static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    /** {@code "name": 12.5}, or {@code "name": null} when there is no number. */
    public static void number(JsonGenerator g, String name, Double value) throws IOException {
        if (value == null) g.writeNullField(name);
        else g.writeNumberField(name, value.doubleValue());
    }
}
