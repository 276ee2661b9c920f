package io.triaready.check;

import java.util.List;

/**
 * The facts a check type observes. {@code primary} is the fact that bare matchers apply to
 * ({@code expect: {contains: x}} on a file means its content); {@code defaultExpect} is YAML used
 * when a check has no {@code expect} (e.g. {@code "exit_code: 0"}), or null for "must be given".
 */
public record FactSchema(String primary, List<String> names, String defaultExpect) {
    public static FactSchema of(String primary, String... names) {
        return new FactSchema(primary, List.of(names), null);
    }

    public FactSchema withDefault(String yaml) { return new FactSchema(primary, names, yaml); }

    public boolean has(String name) { return names.contains(name); }
}
