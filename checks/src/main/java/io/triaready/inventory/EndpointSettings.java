package io.triaready.inventory;

import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.Endpoint;
import io.triaready.transport.postgres.PgUrl;
import io.triaready.transport.redis.RedisUrl;

/**
 * An endpoint's settings checked when the inventory is read, each problem at its file:line:column:
 * the {@code url} parses as the endpoint's kind (PostgreSQL, Redis, an http(s) URL for prometheus; an
 * endpoint under {@code endpoints:} by its URL's scheme), and {@code tunnel} is {@code ssh} or
 * {@code none}, and {@code ssh} only on a target with an SSH host. Ports, {@code db} and waits are
 * range-checked with the other settings ({@code InventoryLoader.checkNumbers}). What a check needs of
 * an endpoint (that it exists, that it has a url) is checked against the playbook ({@code TargetFit}).
 */
final class EndpointSettings {
    private EndpointSettings() {}

    static void check(String name, YNode node, Map<String, Object> settings, boolean hasSshHost, ParseContext ctx) {
        if (!node.isMap()) return;
        Map<String, YNode> at = node.map();
        Object url = settings.get("url");
        if (url instanceof String u && at.containsKey("url") && !Endpoint.isPlaceholder(u)) {
            String problem = urlProblem(name, u.trim());
            if (problem != null) ctx.problem(at.get("url"), "'url' of endpoint '" + name + "': " + problem);
        }
        Object tunnel = settings.get("tunnel");
        if (tunnel != null && at.containsKey("tunnel") && !Endpoint.isPlaceholder(String.valueOf(tunnel))) {
            String t = String.valueOf(tunnel).trim();
            if (!t.equals("ssh") && !t.equals("none") && !t.isEmpty()) {
                ctx.problem(at.get("tunnel"), "unknown tunnel '" + t + "' in endpoint '" + name + "' (use tunnel: ssh, or none)");
            } else if (t.equals("ssh") && !hasSshHost) {
                ctx.problem(at.get("tunnel"), "tunnel: ssh needs an SSH host, and this target has none (add ssh: or hosts: to it)");
            }
        }
    }

    /** What is wrong with {@code url} for the endpoint {@code name}, or null. */
    static String urlProblem(String name, String url) {
        String kind = switch (name) {
            case "postgres", "redis", "prometheus" -> name;
            default -> url.startsWith("jdbc:postgresql:") || url.startsWith("postgres://") || url.startsWith("postgresql://") ? "postgres"
                    : url.startsWith("redis://") || url.startsWith("rediss://") ? "redis" : "";
        };
        try {
            switch (kind) {
                case "postgres" -> PgUrl.parse(url);
                case "redis" -> RedisUrl.parse(url);
                case "prometheus" -> {
                    if (okhttp3.HttpUrl.parse(url) == null) return "must be an http:// or https:// URL";
                }
                default -> { }
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }
}
