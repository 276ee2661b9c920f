package io.triaready.base.yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.triaready.base.os.UserHome;
import io.triaready.base.secret.Secrets;

/**
 * Expands {@code ${name}}, {@code ${env:NAME}} and {@code ${file:path}} in playbook strings.
 * {@code $${...}} stays literal. Values from the environment and files are secrets: they are
 * registered with {@link Secrets} so no report can print them.
 *
 * <p>Variable precedence (highest first): {@code --var}, the target's vars and endpoints
 * ({@code http.base_url}, {@code target.name}, ...), the playbook's {@code vars}. Playbook vars may
 * themselves reference other variables.
 */
public final class Interpolator {
    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Set<String> TARGET_NAMESPACES = Set.of("http", "ssh", "postgres", "redis", "prometheus", "target");

    /** How {@code ${env:...}} and {@code ${file:...}} are treated. */
    public enum External {
        /** Resolve them; a missing variable or file is a problem. */
        RESOLVE,
        /** Leave a placeholder such as {@code <env:NAME>}: used by {@code validate}, which must not need secrets. */
        PLACEHOLDER
    }

    private final Map<String, String> vars;
    private final Secrets secrets;
    private final External external;
    private final Function<String, String> env;
    private final String targetName;
    private final Map<String, String> resolvedCache = new LinkedHashMap<>();

    public Interpolator(Map<String, String> vars, Secrets secrets, External external, Function<String, String> env, String targetName) {
        this.vars = Map.copyOf(vars);
        this.secrets = secrets;
        this.external = external;
        this.env = env;
        this.targetName = targetName;
    }

    /** No variables at all: for tests and for files that must not use any. */
    public static Interpolator none() {
        return new Interpolator(Map.of(), new Secrets(), External.PLACEHOLDER, k -> null, "local");
    }

    public Secrets secrets() { return secrets; }

    /**
     * Bounds on expansion: one string expands to at most {@link #MAX_EXPANDED_CHARS}, all of a load's
     * strings together to {@link #MAX_TOTAL_EXPANDED_CHARS} (variables that each name the previous one
     * twice double at every level: a 622-byte playbook reached 10^10 characters).
     */
    public static final int MAX_EXPANDED_CHARS = 1 << 20;
    public static final long MAX_TOTAL_EXPANDED_CHARS = 16L << 20;
    /** A secret file is a password or a key: small, regular, and read at once. */
    public static final long MAX_SECRET_FILE_BYTES = 64 * 1024;
    public static final long SECRET_FILE_READ_MILLIS = 2000;

    private long expandedTotal;
    private boolean totalReported;

    /** Thrown up the recursion when one string's expansion passes its bound; no stack trace needed. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() { super(null, null, false, false); }
    }

    /** Expands every reference in {@code text}; problems are reported at {@code at}. Returns the text with bad refs left as written. */
    public String apply(String text, YNode at, Problems problems) {
        if (text == null || text.indexOf('$') < 0) return text;
        if (totalReported) return text;
        String out;
        try {
            out = expand(text, at, problems, new HashSet<>());
        } catch (TooLarge e) {
            report(problems, at, text, 0, "expands to more than " + MAX_EXPANDED_CHARS + " characters (variables that repeat each other?)");
            return text;
        }
        expandedTotal += out.length();
        if (expandedTotal > MAX_TOTAL_EXPANDED_CHARS) {
            totalReported = true;
            report(problems, at, text, 0, "variables expand to more than " + MAX_TOTAL_EXPANDED_CHARS + " characters in all (variables that repeat each other?)");
            return text;
        }
        return out;
    }

    private String expand(String text, YNode at, Problems problems, Set<String> resolving) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            last = m.end();
            if (m.group(0).equals("$${")) { out.append("${"); continue; }
            String ref = m.group(1).trim();
            String value = resolve(ref, text, m.start(), at, problems, resolving);
            out.append(value != null ? value : m.group(0));
            if (out.length() > MAX_EXPANDED_CHARS) throw new TooLarge();
        }
        out.append(text, last, text.length());
        if (out.length() > MAX_EXPANDED_CHARS) throw new TooLarge();
        return out.toString();
    }

    private String resolve(String ref, String text, int offset, YNode at, Problems problems, Set<String> resolving) {
        if (ref.startsWith("env:")) {
            String name = ref.substring(4);
            if (external == External.PLACEHOLDER) return "<env:" + name + ">";
            String v = env.apply(name);
            if (v == null) {
                report(problems, at, text, offset, "environment variable '" + name + "' is not set");
                return null;
            }
            secrets.add(v, origin(at, text, offset, "${env:" + name + "}"));
            return v;
        }
        if (ref.startsWith("file:")) {
            String path = ref.substring(5);
            if (external == External.PLACEHOLDER) return "<file:" + path + ">";
            try {
                String v = readSecretFile(UserHome.path(path)).strip();
                secrets.add(v, origin(at, text, offset, "${file:" + path + "}"));
                return v;
            } catch (IOException | RuntimeException e) {
                String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e instanceof IOException && e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName().replace("Exception", "").toLowerCase();
                report(problems, at, text, offset, "cannot read secret file '" + path + "': " + why);
                return null;
            }
        }
        if (!NAME.matcher(ref).matches()) {
            report(problems, at, text, offset, "invalid variable reference '${" + ref + "}' (use ${name}, ${env:NAME} or ${file:path})");
            return null;
        }
        if (resolvedCache.containsKey(ref)) return resolvedCache.get(ref);
        String raw = vars.get(ref);
        int dot0 = ref.indexOf('.');
        if (raw == null && external == External.PLACEHOLDER && dot0 > 0 && TARGET_NAMESPACES.contains(ref.substring(0, dot0))) {
            // validating without a target: endpoint variables are the target's business; use a stand-in
            // that still parses where it is used (a URL for *url settings)
            return ref.endsWith("url") ? "http://" + ref.replace('_', '-') + ".invalid" : "<" + ref + ">";
        }
        if (raw == null) {
            String hint = Suggest.didYouMean(ref, vars.keySet());
            int dot = ref.indexOf('.');
            if (hint.isEmpty() && dot > 0 && TARGET_NAMESPACES.contains(ref.substring(0, dot))) {
                hint = " (target '" + targetName + "' does not define " + ref + "; set it in the inventory or with --var " + ref + "=...)";
            }
            report(problems, at, text, offset, "undefined variable '" + ref + "'" + hint);
            return null;
        }
        if (!resolving.add(ref)) {
            report(problems, at, text, offset, "variable '" + ref + "' refers to itself (cycle through " + String.join(" -> ", resolving) + ")");
            return null;
        }
        String value = expand(raw, at, problems, resolving);
        resolving.remove(ref);
        resolvedCache.put(ref, value);
        return value;
    }

    /**
     * A regular file of at most {@link #MAX_SECRET_FILE_BYTES}, UTF-8, read within
     * {@link #SECRET_FILE_READ_MILLIS}: never a FIFO (which blocks forever), a device (/dev/zero
     * never ends) or a directory; the read runs on a daemon thread so a stuck file system cannot hold the load.
     */
    public static String readSecretFile(java.nio.file.Path p) throws IOException {
        if (!Files.exists(p)) throw new java.nio.file.NoSuchFileException(p.toString());
        if (!Files.isRegularFile(p)) throw new IOException(Files.isDirectory(p) ? "it is a directory" : "not a regular file");
        if (Files.size(p) > MAX_SECRET_FILE_BYTES) throw new IOException("larger than " + MAX_SECRET_FILE_BYTES / 1024 + " KiB");
        java.util.concurrent.CompletableFuture<byte[]> read = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (java.io.InputStream in = Files.newInputStream(p)) {
                read.complete(in.readNBytes((int) MAX_SECRET_FILE_BYTES + 1));
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        }, "secret-file-read");
        t.setDaemon(true);
        t.start();
        byte[] bytes;
        try {
            bytes = read.get(SECRET_FILE_READ_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            t.interrupt();
            throw new IOException("not read within " + Durations.format(java.time.Duration.ofMillis(SECRET_FILE_READ_MILLIS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(String.valueOf(e.getCause().getMessage()));
        }
        if (bytes.length > MAX_SECRET_FILE_BYTES) throw new IOException("larger than " + MAX_SECRET_FILE_BYTES / 1024 + " KiB");
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
    }

    private static void report(Problems problems, YNode at, String text, int offset, String message) {
        if (at == null) {
            problems.add("<input>", 0, 0, message);
            return;
        }
        problems.add(at.file(), at.line(), column(at, text, offset), message);
    }

    /** {@code file:line:column: ${env:NAME}}, where a secret came from, for the warnings of {@link Secrets}. */
    private static String origin(YNode at, String text, int offset, String ref) {
        return at == null ? ref : at.file() + ":" + at.line() + ":" + column(at, text, offset) + ": " + ref;
    }

    private static int column(YNode at, String text, int offset) {
        int column = at.column();
        // Point at the ${ itself when the scalar sits on one line (plain: same offset, quoted: one more).
        if (at.isScalar() && text.indexOf('\n') < 0 && at.text() != null && at.text().equals(text)) {
            column += offset + (at.isQuoted() ? 1 : 0);
        }
        return column;
    }
}
