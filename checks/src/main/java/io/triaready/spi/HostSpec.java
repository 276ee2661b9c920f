package io.triaready.spi;

import java.util.Map;

/**
 * One host of a target: its name in reports, the transport that reaches it ("local", "ssh") and that
 * transport's settings as written in the inventory (host, port, user, identity, ...).
 */
public record HostSpec(String name, String transport, Map<String, Object> settings) {
    public static final HostSpec LOCAL = new HostSpec("local", "local", Map.of());

    public HostSpec {
        settings = Map.copyOf(settings);
    }

    public String setting(String key) {
        Object v = settings.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
