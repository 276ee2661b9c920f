package io.triaready.playbook;

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

    /** Parses one YAML document; a syntax error or a forbidden tag becomes a {@link PlaybookException}. */
    public static YNode parse(Reader reader, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options);
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
            throw new PlaybookException(new Problem(file, 0, 0, "invalid YAML: " + String.valueOf(e.getMessage()).replace('\n', ' ')));
        }
        if (root == null) throw new PlaybookException(new Problem(file, 1, 1, "the file is empty"));
        YNode result = new YNode(file, root);
        Problems problems = new Problems();
        result.checkTags(problems, 0);
        problems.throwIfAny();
        return result;
    }

    public static YNode parse(String yaml, String file) {
        return parse(new StringReader(yaml), file);
    }

    private void checkTags(Problems problems, int depth) {
        if (!PLAIN_TAGS.contains(node.getTag())) {
            problems.add(this, "YAML tag '" + node.getTag().getValue() + "' is not allowed (plain data only)");
            return;
        }
        switch (kind()) {
            case MAP -> {
                for (NodeTuple t : ((MappingNode) node).getValue()) {
                    new YNode(file, t.getKeyNode()).checkTags(problems, depth + 1);
                    new YNode(file, t.getValueNode()).checkTags(problems, depth + 1);
                }
            }
            case SEQ -> {
                for (Node n : ((SequenceNode) node).getValue()) new YNode(file, n).checkTags(problems, depth + 1);
            }
            default -> { }
        }
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
        if (tag.equals(Tag.BOOL)) return Boolean.parseBoolean(v.toLowerCase());
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
