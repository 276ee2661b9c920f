package io.triaready.base.yaml;

import java.io.IOException;


/** A YAML document on a target (a config file a check inspects) as plain data, safely composed. */
public final class PlainYaml {
    private PlainYaml() {}

    public static Object parse(String text, String name) throws IOException {
        try {
            return YNode.parse(new java.io.StringReader(text), name, YNode.Schema.YAML_1_1).toPlain();
        } catch (PlaybookException e) {
            throw new IOException("not YAML: " + e.problems().get(0).message());
        }
    }
}
