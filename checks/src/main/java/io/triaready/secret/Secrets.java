package io.triaready.secret;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every secret value known to a run (whatever came from {@code ${env:...}} or {@code ${file:...}}),
 * so that any text leaving the process (reports, messages, evidence, logs) can be masked first.
 * Values shorter than {@link #MIN_LENGTH} are not registered: masking every "1" would destroy reports
 * and such values are not secrets worth the name.
 */
public final class Secrets {
    public static final String MASK = "******";
    public static final int MIN_LENGTH = 4;

    /** user:password@ in any URL, and password=... in a JDBC-style query string. */
    private static final Pattern URL_USERINFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|passwd|pwd|secret|token|api[_-]?key)=)([^&;\\s\"']+)");

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    /** Longest first, so a secret that contains another is masked whole; rebuilt only when one is added. */
    private volatile List<String> longestFirst = List.of();

    public void add(String value) {
        if (value == null) return;
        String v = value.strip();
        boolean added = v.length() >= MIN_LENGTH && values.add(v);
        if (!v.equals(value) && value.length() >= MIN_LENGTH) added |= values.add(value);
        if (added) {
            synchronized (this) {
                longestFirst = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
            }
        }
    }

    public boolean isEmpty() { return values.isEmpty(); }

    /** The text with every known secret, URL password and password parameter replaced by {@link #MASK}. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String v : longestFirst) {
            if (out.contains(v)) out = out.replace(v, MASK);
        }
        out = URL_USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        out = PASSWORD_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return out;
    }
}
