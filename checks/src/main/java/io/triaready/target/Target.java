package io.triaready.target;

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

    /**
     * Variables a playbook may use: {@code target.name}, every endpoint setting as {@code endpoint.key}
     * (e.g. {@code http.base_url}) and the target's own vars.
     */
    public Map<String, String> variables() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("target.name", name);
        endpoints.forEach((endpoint, settings) -> settings.forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof List)) out.put(endpoint + "." + k, String.valueOf(v));
        }));
        out.putAll(vars);
        return out;
    }
}
