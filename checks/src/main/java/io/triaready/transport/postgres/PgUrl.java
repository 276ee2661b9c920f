package io.triaready.transport.postgres;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import io.triaready.base.net.PortNumber;

/**
 * A PostgreSQL address as users write it: {@code jdbc:postgresql://host:5432/db?sslmode=require}, or the
 * {@code postgres://user:password@host/db} form of a {@code DATABASE_URL} (turned into JDBC; its user and
 * password are used when the endpoint does not give its own). {@code hosts} is the host list as written
 * (pgjdbc accepts several for fail-over); {@code host}/{@code port} is the first of them.
 */
public record PgUrl(String hosts, String host, int port, String database, String query, String user, String password) {
    public static final int DEFAULT_PORT = 5432;

    public static PgUrl parse(String url) {
        String rest;
        String user = null;
        String password = null;
        if (url.startsWith("jdbc:postgresql:")) {
            rest = url.substring("jdbc:postgresql:".length());
            if (!rest.startsWith("//")) {
                // jdbc:postgresql:database -> localhost
                return split("localhost", rest, null, null);
            }
            rest = rest.substring(2);
        } else if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            rest = url.substring(url.indexOf("://") + 3);
            int slash = rest.indexOf('/');
            int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
            if (at >= 0) {
                String info = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = info.indexOf(':');
                user = decode(colon < 0 ? info : info.substring(0, colon));
                if (colon >= 0) password = decode(info.substring(colon + 1));
            }
        } else {
            throw new IllegalArgumentException("not a PostgreSQL URL (use jdbc:postgresql://host:5432/database or postgres://host/database)");
        }
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (hosts.isEmpty()) hosts = "localhost";
        return split(hosts, path, user, password);
    }

    private static PgUrl split(String hosts, String path, String user, String password) {
        int q = path.indexOf('?');
        String database = q < 0 ? path : path.substring(0, q);
        String query = q < 0 ? "" : path.substring(q + 1);
        String first = hosts.split(",")[0];
        String host;
        int port = DEFAULT_PORT;
        if (first.startsWith("[")) {
            int close = first.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("unclosed '[' in the host");
            host = first.substring(1, close);
            String after = first.substring(close + 1);
            if (after.startsWith(":")) port = port(after.substring(1));
        } else {
            int colon = first.lastIndexOf(':');
            host = colon < 0 ? first : first.substring(0, colon);
            if (colon >= 0) port = port(first.substring(colon + 1));
        }
        if (host.isEmpty()) host = "localhost";
        return new PgUrl(hosts, host, port, decode(database), query, user, password);
    }

    private static int port(String text) { return PortNumber.parse(text); }

    private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    /** The JDBC URL to connect to: as written, or through {@code via} (the local end of a tunnel). */
    public String jdbc(InetSocketAddress via) {
        String h = hosts;
        if (via != null) h = hostPort(via.getHostString(), via.getPort());
        String db = java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://" + h + "/" + db + (query.isEmpty() ? "" : "?" + query);
    }

    /** host:port/database, for messages: never the query string (it may hold a password). */
    public String display() { return hostPort(host, port) + "/" + database; }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() { return display(); }
}
