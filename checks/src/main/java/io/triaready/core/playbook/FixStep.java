package io.triaready.core.playbook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.Need;

/**
 * One step of a fix, validated and interpolated.
 * <ul>
 * <li>{@code run}: a command on each host of the target ({@code sudo}, {@code timeout})</li>
 * <li>{@code http}: one request from this machine ({@code method}, {@code url}, {@code headers},
 *     {@code json}/{@code body}; it must answer a status in {@code expect_status}, default 2xx)</li>
 * <li>{@code sql}: statements run in one transaction against a database endpoint (the only place
 *     tria-ready writes to a database), committed only when all succeed</li>
 * <li>{@code wait}: until a check passes, polling every {@code interval}, at most {@code timeout}</li>
 * </ul>
 * {@code location} is file:line; {@code needs}, what the step needs of its target (a {@code sql} step: its
 * endpoint), with the step's position, as a check's {@link io.triaready.spi.Probe#needs()}.
 */
public record FixStep(Kind kind, String command, boolean sudo, Map<String, Object> http, List<String> statements, String endpoint,
                      String waitFor, Duration interval, Duration timeout, String location, List<Need> needs) {
    public enum Kind {
        RUN, HTTP, SQL, WAIT;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public FixStep {
        http = http == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(http));
        statements = statements == null ? List.of() : List.copyOf(statements);
        needs = needs == null ? List.of() : List.copyOf(needs);
    }

    /** Runs on every host of the target (as opposed to once, from this machine). */
    public boolean perHost() { return kind == Kind.RUN || kind == Kind.WAIT; }

    /** The whole step as it will run, for the plan a person approves (a multi-line script stays multi-line). */
    public String script() {
        return kind == Kind.RUN ? "run: " + (sudo ? "sudo " : "") + command.strip() : describe();
    }

    /** One line for progress, listings and records, e.g. {@code run: systemctl restart tria}. */
    public String describe() {
        return switch (kind) {
            case RUN -> {
                java.util.List<String> lines = command.strip().lines().toList();
                yield "run: " + (sudo ? "sudo " : "") + lines.get(0) + (lines.size() > 1 ? " … (+" + (lines.size() - 1) + " lines)" : "");
            }
            case HTTP -> "http: " + http.getOrDefault("method", "POST") + " " + http.get("url");
            case SQL -> "sql (" + endpoint + ", one transaction): " + String.join("; ", statements);
            case WAIT -> "wait: until " + waitFor + " passes (every " + Durations.format(interval) + ", at most " + Durations.format(timeout) + ")";
        };
    }
}
