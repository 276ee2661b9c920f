package io.triaready.spi;

import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.YNode;

/**
 * What a check needs from its target, said by its probe when the playbook is parsed
 * ({@link Probe#needs()}), so that {@code validate -t TARGET} and {@code audit} can tell a mismatch
 * before anything runs, at the check's file:line:column, instead of as an ERROR at run time.
 *
 * @param endpoint the endpoint the check reads (postgres, redis, prometheus, or a name from {@code endpoints:})
 * @param named    the check names it ({@code endpoint: NAME}) rather than using its type's default
 * @param url      what is wrong with the endpoint's url for this check (null: nothing), or null to not check it
 */
public record Need(String endpoint, boolean named, String file, int line, int column, UrlCheck url) {
    /** Says what is wrong with a url for the check, or null when it will do. */
    @FunctionalInterface
    public interface UrlCheck {
        String problem(String url);
    }

    /**
     * The endpoint a data check reads, as {@link Endpoint#resolve} finds it: {@code named}, else
     * {@code defaultName}; nothing when the check gives its own {@code url} (it then needs no inventory entry).
     */
    public static List<Need> endpoint(String named, String defaultName, Map<String, Object> inline, YNode at, UrlCheck url) {
        if (inline.get("url") != null) return List.of();
        return List.of(new Need(named != null ? named : defaultName, named != null, at.file(), at.line(), at.column(), url));
    }

    /** What {@code target} lacks for this need, as the run would say it; null when it has it. */
    public String unmet(Target target) {
        Map<String, Object> settings = target.endpoint(endpoint);
        if (settings == null || settings.isEmpty()) return Endpoint.missing(target, endpoint, named);
        Object u = settings.get("url");
        String text = u == null ? null : String.valueOf(u);
        if (text == null || text.isEmpty()) return Endpoint.noUrl(target, endpoint);
        if (url != null && !Endpoint.isPlaceholder(text)) {
            String problem = url.problem(text);
            if (problem != null) return "the " + endpoint + " endpoint's url: " + problem;
        }
        return null;
    }
}
