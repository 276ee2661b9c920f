package io.triaready.spi;

import java.util.List;

/**
 * The facts a check type observes. {@code primary} is the fact that bare matchers apply to
 * ({@code expect: {contains: x}} on a file means its content); {@code defaultExpect} is YAML used
 * when a check has no {@code expect} (e.g. {@code "exit_code: 0"}), or null for "must be given";
 * {@code guard}, when set, is a clause that holds for every check whose {@code expect} does not name
 * its fact (a command must exit 0 unless {@code expect} says otherwise).
 */
public record FactSchema(String primary, List<String> names, String defaultExpect, Guard guard) {
    /**
     * {@code fact} must equal {@code value} unless an expectation names {@code fact}; when it does not,
     * the failure quotes the first line of {@code context} (e.g. stderr), or nothing when null.
     */
    public record Guard(String fact, Object value, String context) {}

    public FactSchema(String primary, List<String> names, String defaultExpect) { this(primary, names, defaultExpect, null); }

    public static FactSchema of(String primary, String... names) {
        return new FactSchema(primary, List.of(names), null, null);
    }

    public FactSchema withDefault(String yaml) { return new FactSchema(primary, names, yaml, guard); }

    public FactSchema withGuard(String fact, Object value, String context) { return new FactSchema(primary, names, defaultExpect, new Guard(fact, value, context)); }

    public boolean has(String name) { return names.contains(name); }
}
