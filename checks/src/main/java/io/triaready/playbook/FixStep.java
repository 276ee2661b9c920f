package io.triaready.playbook;

import java.util.Map;

/** One step of a fix: its kind (run, http, sql, wait) and its settings, interpolated; {@code location} is file:line. */
public record FixStep(String kind, Map<String, Object> spec, String location) {
    public FixStep {
        spec = Map.copyOf(spec);
    }

    /** One line for plans and listings, e.g. {@code run: systemctl restart tria}. */
    public String describe() {
        Object main = spec.getOrDefault(kind, spec.values().stream().findFirst().orElse(""));
        return kind + ": " + main;
    }
}
