package io.triaready.base.yaml;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML node that remembers where it came from. Users' files are composed into these
 * (never constructed into Java objects: no type tags, no arbitrary classes), so every value the
 * loader reads can be blamed on a {@code file:line:column}.
 */
public final class YNode {
    /** Hostile-input limits: a playbook is a few hundred lines, not megabytes or billion-laughs. */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    public static final int MAX_DEPTH = 40;
    public static final int MAX_ALIASES = 20;

    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.MAP, Tag.SEQ, Tag.TIMESTAMP);

    public enum Kind { MAP, SEQ, SCALAR }

    private final String file;
    private final Node node;

    private YNode(String file, Node node) {
        this.file = file;
        this.node = node;
    }

    /**
     * Which words are booleans. A user's playbook or inventory reads only {@code true} and {@code false}
     * as booleans (YAML 1.2's core schema), so {@code stdout: yes} means the text "yes"; a document on
     * a target is read as YAML 1.1 (yes/no/on/off/y/n are booleans), as the PyYAML and Ruby loaders of
     * the applications that own it read it.
     */
    public enum Schema { CORE, YAML_1_1 }

    /** Parses one document of a user's file (YAML 1.2 booleans); a syntax error or a forbidden tag becomes a {@link PlaybookException}. */
    public static YNode parse(Reader reader, String file) {
        return parse(reader, file, Schema.CORE);
    }

    /** Parses one YAML document with the given schema. */
    public static YNode parse(Reader reader, String file, Schema schema) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                schema == Schema.CORE ? new CoreResolver() : new Resolver());
        Node root;
        try {
            root = yaml.compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null && e.getProblem() != null) what = e.getContext() + ": " + e.getProblem();
            what = what.replace('\n', ' ').trim();
            if (m == null) throw new PlaybookException(new Problem(file, 0, 0, "invalid YAML: " + what));
            throw new PlaybookException(new Problem(file, m.getLine() + 1, m.getColumn() + 1, "invalid YAML: " + what));
        } catch (YAMLException e) {
            throw new PlaybookException(new Problem(file, 0, 0, "invalid YAML: " + readable(e)));
        }
        if (root == null) throw new PlaybookException(new Problem(file, 1, 1, "the file is empty"));
        YNode result = new YNode(file, root);
        Problems problems = new Problems();
        result.checkTags(problems, schema == Schema.CORE, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        problems.throwIfAny();
        return result;
    }

    public static YNode parse(String yaml, String file) {
        return parse(new StringReader(yaml), file);
    }

    /**
     * Reads a user's file: a regular file (not a directory, a FIFO or a device) of at most
     * {@code maxBytes}, UTF-8 text (the first byte that is not is reported at its line and column).
     */
    public static YNode parseFile(java.nio.file.Path path, long maxBytes) {
        String file = path.toString();
        try {
            if (!java.nio.file.Files.exists(path)) throw new PlaybookException(new Problem(file, 0, 0, "no such file"));
            if (!java.nio.file.Files.isRegularFile(path)) throw new PlaybookException(new Problem(file, 0, 0, "not a regular file"));
            if (java.nio.file.Files.size(path) > maxBytes) {
                throw new PlaybookException(new Problem(file, 0, 0, "file is larger than " + maxBytes / 1024 + " KiB"));
            }
            byte[] bytes;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
                bytes = in.readNBytes((int) maxBytes + 1);
            }
            if (bytes.length > maxBytes) throw new PlaybookException(new Problem(file, 0, 0, "file is larger than " + maxBytes / 1024 + " KiB"));
            return parse(decode(bytes, file), file);
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
            throw new PlaybookException(new Problem(file, 0, 0, "cannot read: " + why));
        }
    }

    /** UTF-8 text, or a problem at the line and column of the first byte that is not UTF-8. */
    static String decode(byte[] bytes, String file) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int bad = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, bad - lineStart, java.nio.charset.StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            throw new PlaybookException(new Problem(file, line, column,
                    String.format(java.util.Locale.ROOT, "not UTF-8 text (byte 0x%02x): save the file as UTF-8", bytes[bad] & 0xff)));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /**
     * A reader's failure in words, without a Java class name: bytes that are not UTF-8 arrive as a
     * {@code YAMLException} wrapping a {@code CharacterCodingException}.
     */
    private static String readable(YAMLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException) return "the file is not UTF-8 text";
        }
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        // "java.nio.charset.MalformedInputException: Input length = 1" and the like
        return m.replaceAll("\\b(?:[a-z]+\\.)+[A-Z][A-Za-z]*(?:Exception|Error):?\\s*", "").trim();
    }

    /**
     * YAML 1.2's core schema for booleans ({@code true}/{@code false} only); numbers and nulls as in
     * 1.1 but without sexagesimal ({@code 1:30} stays text, as a time of day should).
     */
    static final class CoreResolver extends Resolver {
        private static final java.util.regex.Pattern CORE_BOOL = java.util.regex.Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final java.util.regex.Pattern CORE_INT = java.util.regex.Pattern.compile(
                "^(?:[-+]?0b_*[0-1]+[0-1_]*|[-+]?0_*[0-7]+[0-7_]*|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F]+[0-9a-fA-F_]*|0o[0-7]+)$");
        private static final java.util.regex.Pattern CORE_FLOAT = java.util.regex.Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9]+|[0-9_]+(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF");
            addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
            addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789");
        }
    }

    /** YAML 1.1's boolean words, for a document on a target and for fields that can only be true or false. */
    private static final Map<String, Boolean> BOOLEAN_WORDS = Map.ofEntries(
            Map.entry("true", true), Map.entry("yes", true), Map.entry("on", true), Map.entry("y", true),
            Map.entry("false", false), Map.entry("no", false), Map.entry("off", false), Map.entry("n", false));

    /** {@code yes}/{@code no}/{@code on}/{@code off}/{@code y}/{@code n}/{@code true}/{@code false} (any case) as a boolean, else null. */
    public static Boolean booleanWord(String text) {
        return text == null ? null : BOOLEAN_WORDS.get(text.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** This scalar as a boolean: a YAML boolean, or an unquoted boolean word (where only true or false makes sense). */
    public Boolean asBoolean() {
        if (!isScalar() || isNull()) return null;
        if (scalar() instanceof Boolean b) return b;
        return isQuoted() ? null : booleanWord(text());
    }

    /**
     * Plain data only; in a user's file ({@code stringKeys}) every mapping key is a scalar with text:
     * nothing that reads a playbook or an inventory ever meets a mapping, a list or a null as a key.
     */
    private void checkTags(Problems problems, boolean stringKeys, Set<Node> path) {
        if (!PLAIN_TAGS.contains(node.getTag())) {
            problems.add(this, "YAML tag '" + node.getTag().getValue() + "' is not allowed (plain data only)");
            return;
        }
        if (kind() != Kind.MAP && kind() != Kind.SEQ) return;
        // An alias may point at a collection that contains it (a: &x [*x]): snakeyaml composes the
        // cycle, and every walk of the tree (this one first) would recurse until the stack overflows.
        if (!path.add(node)) {
            problems.add(this, "an alias refers to a collection that contains it (the data would be infinite)");
            return;
        }
        switch (kind()) {
            case MAP -> {
                for (NodeTuple t : ((MappingNode) node).getValue()) {
                    YNode key = new YNode(file, t.getKeyNode());
                    if (stringKeys && (!key.isScalar() || key.isNull())) {
                        problems.add(key, "a key must be a plain string, got " + key.describe());
                        continue;
                    }
                    key.checkTags(problems, stringKeys, path);
                    new YNode(file, t.getValueNode()).checkTags(problems, stringKeys, path);
                }
            }
            case SEQ -> {
                for (Node n : ((SequenceNode) node).getValue()) new YNode(file, n).checkTags(problems, stringKeys, path);
            }
            default -> { }
        }
        path.remove(node);
    }

    public String file() { return file; }

    public int line() { return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1; }

    public int column() { return node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1; }

    public Kind kind() {
        if (node instanceof MappingNode) return Kind.MAP;
        if (node instanceof SequenceNode) return Kind.SEQ;
        return Kind.SCALAR;
    }

    public boolean isMap() { return node instanceof MappingNode; }

    public boolean isSeq() { return node instanceof SequenceNode; }

    public boolean isScalar() { return node instanceof ScalarNode; }

    public boolean isNull() { return isScalar() && node.getTag().equals(Tag.NULL); }

    /** True for a scalar written with quotes: "0644" stays a string even though it looks like a number. */
    public boolean isQuoted() {
        return isScalar() && ((ScalarNode) node).getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
    }

    /** The scalar's text as written; {@code null} for a YAML null. */
    public String text() {
        if (!isScalar()) throw new IllegalStateException("not a scalar at " + where());
        return isNull() ? null : ((ScalarNode) node).getValue();
    }

    /** The scalar with its YAML type: Long, Double, Boolean, null or String. */
    public Object scalar() {
        String v = text();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) return null;
        if (tag.equals(Tag.BOOL)) return Boolean.TRUE.equals(booleanWord(v));
        if (tag.equals(Tag.INT)) {
            try {
                return Long.decode(v.replace("_", "").replace("0o", "0"));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            String f = v.replace("_", "").toLowerCase();
            if (f.equals(".inf") || f.equals("+.inf")) return Double.POSITIVE_INFINITY;
            if (f.equals("-.inf")) return Double.NEGATIVE_INFINITY;
            if (f.equals(".nan")) return Double.NaN;
            try {
                return Double.parseDouble(f);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    /** Entries of a mapping in file order; keys are the key nodes (so a bad key can be pointed at). */
    public List<Map.Entry<YNode, YNode>> entries() {
        if (!isMap()) return List.of();
        List<Map.Entry<YNode, YNode>> out = new ArrayList<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            out.add(Map.entry(new YNode(file, t.getKeyNode()), new YNode(file, t.getValueNode())));
        }
        return out;
    }

    /** The mapping as key text → value node (first occurrence wins; duplicates are the loader's to report). */
    public Map<String, YNode> map() {
        Map<String, YNode> out = new LinkedHashMap<>();
        for (Map.Entry<YNode, YNode> e : entries()) {
            String k = e.getKey().isScalar() ? String.valueOf(e.getKey().text()) : e.getKey().toString();
            out.putIfAbsent(k, e.getValue());
        }
        return out;
    }

    public YNode get(String key) { return map().get(key); }

    public List<YNode> items() {
        if (!isSeq()) return List.of();
        List<YNode> out = new ArrayList<>();
        for (Node n : ((SequenceNode) node).getValue()) out.add(new YNode(file, n));
        return out;
    }

    /** "a mapping", "a list", "a number", ...: for "expected X, got Y" messages. */
    public String describe() {
        return switch (kind()) {
            case MAP -> "a mapping";
            case SEQ -> "a list";
            case SCALAR -> {
                Object v = scalar();
                if (v == null) yield "nothing (null)";
                if (v instanceof Boolean) yield "a boolean";
                if (v instanceof Number) yield "a number";
                yield "a string";
            }
        };
    }

    /** The node as plain data (Map/List/Long/Double/Boolean/String/null), strings not interpolated. */
    public Object toPlain() {
        return switch (kind()) {
            case MAP -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<YNode, YNode> e : entries()) {
                    m.put(String.valueOf(e.getKey().isScalar() ? e.getKey().text() : e.getKey()), e.getValue().toPlain());
                }
                yield m;
            }
            case SEQ -> {
                List<Object> l = new ArrayList<>();
                for (YNode n : items()) l.add(n.toPlain());
                yield l;
            }
            case SCALAR -> scalar();
        };
    }

    public String where() { return file + ":" + line() + ":" + column(); }

    @Override
    public String toString() { return isScalar() ? String.valueOf(text()) : describe() + " at " + where(); }
}
