package io.triaready.spi;

import java.util.Map;

import io.triaready.base.yaml.YNode;

/**
 * One host's transport settings as an inventory wrote them, for {@link HostConnector#parse}: the
 * values (the target's shared {@code ssh:} merged with the host's own entry, secrets already
 * expanded or, for {@code validate}, left as placeholders) and, for each key, the node it was written
 * at, so that a problem is reported with its file:line:column.
 *
 * @param host   the host's name in reports
 * @param values the settings, as plain values
 * @param nodes  where each key's value was written
 * @param at     the host's entry (for a problem that belongs to no one key)
 */
public record HostSettings(String host, Map<String, Object> values, Map<String, YNode> nodes, YNode at) {
    public HostSettings {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        nodes = Map.copyOf(nodes);
    }

    /** Where {@code key} was written, else the host's entry. */
    public YNode node(String key) { return nodes.getOrDefault(key, at); }

    /**
     * True when a value is not known until the run: a secret that {@code validate} left as a placeholder
     * ({@code <env:NAME>}), or one that another target's load did not resolve.
     */
    public boolean isPlaceholder(String key) {
        Object v = values.get(key);
        return v != null && Endpoint.isPlaceholder(String.valueOf(v));
    }
}
