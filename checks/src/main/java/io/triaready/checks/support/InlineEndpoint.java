package io.triaready.checks.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.spi.Endpoint;

/**
 * The endpoint settings a sql, redis or prometheus check may give inline ({@code url}, {@code user},
 * {@code password}, ...), which the probe merges over the endpoint the check names, or its type's default.
 */
public final class InlineEndpoint {
    private InlineEndpoint() {}

    /** The string settings among {@code keys} that the check gives, in that order (a map the caller may add to). */
    public static Map<String, Object> read(Fields f, List<String> keys) {
        Map<String, Object> inline = new LinkedHashMap<>();
        for (String k : keys) f.string(k).ifPresent(v -> inline.put(k, v));
        return inline;
    }

    /**
     * Whether the url given inline, if any, is one {@code parse} accepts (a placeholder is checked once it is
     * resolved); when not, the problem is reported at 'url' with parse's reason.
     */
    public static boolean urlAccepted(Fields f, ParseContext ctx, Map<String, Object> inline, Consumer<String> parse) {
        String url = literalUrl(inline);
        if (url == null) return true;
        try {
            parse.accept(url);
            return true;
        } catch (IllegalArgumentException e) {
            ctx.problem(f.node("url"), "'url': " + e.getMessage());
            return false;
        }
    }

    /** The url given inline, to check now; null when there is none, or when it is a placeholder (checked once it is resolved). */
    public static String literalUrl(Map<String, Object> inline) {
        return inline.get("url") instanceof String u && !Endpoint.isPlaceholder(u) ? u : null;
    }
}
