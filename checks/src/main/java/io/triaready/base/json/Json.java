package io.triaready.base.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses JSON text into plain data (Map, List, String, Long/Double, Boolean, null), with limits so a
 * hostile endpoint cannot exhaust memory. No data binding to classes: nothing here needs reflection.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200).maxStringLength(16 * 1024 * 1024).maxNumberLength(100).build());
        MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private Json() {}

    public static ObjectMapper mapper() { return MAPPER; }

    /** @throws IOException with a short message when the text is not JSON */
    public static Object parse(String text) throws IOException {
        if (text == null || text.isBlank()) throw new IOException("not JSON: empty");
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getOriginalMessage() != null ? j.getOriginalMessage() : e.getMessage();
            throw new IOException("not JSON: " + firstLine(m));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
