package io.triaready.spi;

import java.util.Map;

/**
 * One host of a target: its name in reports, the transport that reaches it ("local", "ssh") and that
 * transport's settings as written in the inventory (host, port, user, identity, ...). {@code parsed}
 * holds the settings as the transport parsed them when the inventory was read
 * ({@link HostConnector#parse}), or null when they are parsed at connect time (a host built in code,
 * or one whose values were not known at load).
 */
public record HostSpec(String name, String transport, Map<String, Object> settings, Object parsed) {
    public static final HostSpec LOCAL = new HostSpec("local", "local", Map.of());

    public HostSpec {
        settings = Map.copyOf(settings);
    }

    public HostSpec(String name, String transport, Map<String, Object> settings) { this(name, transport, settings, null); }

    public String setting(String key) {
        Object v = settings.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
