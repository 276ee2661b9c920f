package io.triaready.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An environment to audit (staging, prod, local): its hosts, its endpoints (http, postgres, redis,
 * prometheus: each a map of settings as written in the inventory) and its variables.
 */
public record Target(String name, List<HostSpec> hosts, Map<String, Map<String, Object>> endpoints, Map<String, String> vars) {
    public Target {
        hosts = List.copyOf(hosts);
        endpoints = Map.copyOf(endpoints);
        vars = Map.copyOf(vars);
    }

    /** The built-in target: this machine, no endpoints. */
    public static Target local() { return new Target("local", List.of(HostSpec.LOCAL), Map.of(), Map.of()); }

    public Map<String, Object> endpoint(String name) { return endpoints.getOrDefault(name, Map.of()); }

    /** {@code http.host} and {@code http.port} from {@code http.base_url} (likewise for any {@code url}), unless given. */
    private static Map<String, String> derived(String endpoint, Map<String, Object> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        Object url = settings.getOrDefault("base_url", settings.get("url"));
        if (url == null) return out;
        try {
            java.net.URI u = java.net.URI.create(String.valueOf(url).replaceFirst("^jdbc:", ""));
            if (u.getHost() == null) return out;
            out.put(endpoint + ".host", u.getHost());
            int port = u.getPort();
            if (port < 0) port = switch (String.valueOf(u.getScheme())) {
                case "https", "rediss" -> u.getScheme().equals("https") ? 443 : 6379;
                case "http" -> 80;
                case "redis" -> 6379;
                case "postgresql", "postgres" -> 5432;
                default -> -1;
            };
            if (port > 0) out.put(endpoint + ".port", Integer.toString(port));
        } catch (IllegalArgumentException e) {
            // not a URL: nothing to derive
        }
        return out;
    }

    /**
     * Variables a playbook may use: {@code target.name}, every endpoint setting as {@code endpoint.key}
     * (e.g. {@code http.base_url}) and the target's own vars.
     */
    public Map<String, String> variables() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("target.name", name);
        endpoints.forEach((endpoint, settings) -> {
            settings.forEach((k, v) -> {
                if (v != null && !(v instanceof Map) && !(v instanceof List)) out.put(endpoint + "." + k, String.valueOf(v));
            });
            derived(endpoint, settings).forEach(out::putIfAbsent);
        });
        out.putAll(vars);
        return out;
    }
}
