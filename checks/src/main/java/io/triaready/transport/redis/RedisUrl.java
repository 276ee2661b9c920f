package io.triaready.transport.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code redis://[user[:password]@]host[:port][/db]} or {@code rediss://...} (TLS). */
public record RedisUrl(boolean tls, String host, int port, Integer db, String user, String password) {
    public static final int DEFAULT_PORT = 6379;

    public static RedisUrl parse(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL: " + e.getReason());
        }
        String scheme = u.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not a Redis URL (use redis://host:6379 or rediss://host:6380 for TLS)");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) throw new IllegalArgumentException("the URL has no host");
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) password = decode(info.substring(colon + 1));
            if (user.isEmpty()) user = null;
        }
        Integer db = null;
        String path = u.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the path must be a database number, e.g. redis://host:6379/0");
            }
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new RedisUrl("rediss".equalsIgnoreCase(scheme), host, u.getPort() < 0 ? DEFAULT_PORT : u.getPort(), db, user, password);
    }

    private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    /** host:port for messages (never the password). */
    public String display() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }
}
