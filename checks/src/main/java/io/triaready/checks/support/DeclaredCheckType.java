package io.triaready.checks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.CheckType;
import io.triaready.spi.FactSchema;

/**
 * A check type declared by its key and its facts, whose spec is either a scalar (the short form,
 * {@code disk: /}) or a mapping (the long form, {@code disk: {mount: /}}). It names both forms the
 * same way in every problem it reports: the scalar as {@code 'disk'}, the mapping as {@code disk check}.
 */
public abstract class DeclaredCheckType implements CheckType {
    private final String name;
    private final FactSchema facts;

    protected DeclaredCheckType(String name, FactSchema facts) {
        this.name = Objects.requireNonNull(name, "name");
        this.facts = Objects.requireNonNull(facts, "facts");
    }

    @Override
    public final String name() { return name; }

    @Override
    public final FactSchema facts() { return facts; }

    /** The short form's text, or null (reported) when it is not a string. */
    protected final String scalar(YNode spec, ParseContext ctx) { return ctx.string(spec, "'" + name + "'"); }

    /** The long form's keys; call {@link Fields#finish()} once every key is read. */
    protected final Fields fields(YNode spec, ParseContext ctx) { return Fields.of(spec, ctx, name + " check"); }

    /** True, with the problem reported, when the spec is empty ({@code tcp:} with nothing after it); {@code what} says what to give. */
    protected final boolean missing(YNode spec, ParseContext ctx, String what) {
        if (!spec.isNull()) return false;
        needs(spec, ctx, what);
        return true;
    }

    /** Reports that the check needs {@code what}: {@code 'file' needs a path}. */
    protected final void needs(YNode at, ParseContext ctx, String what) { ctx.problem(at, "'" + name + "' needs " + what); }

    /**
     * The one thing a check of this type is about, written either as the short form or under {@code key}
     * in the long form (which has no other key), e.g. {@code file: /etc/hosts} or {@code file: {path: /etc/hosts}}.
     * Null, with the problem reported, when it is missing, not a string, or blank ({@code blank} says what to give).
     */
    protected final String scalarOrKey(YNode spec, ParseContext ctx, String key, String blank) {
        return scalarOrKey(spec, ctx, key, blank, f -> { });
    }

    /** {@link #scalarOrKey(YNode, ParseContext, String, String)} where the long form has more keys, which {@code more} reads. */
    protected final String scalarOrKey(YNode spec, ParseContext ctx, String key, String blank, Consumer<Fields> more) {
        String value;
        if (spec.isScalar()) {
            value = scalar(spec, ctx);
        } else {
            Fields f = fields(spec, ctx);
            value = f.requiredString(key);
            more.accept(f);
            f.finish();
        }
        if (value == null) return null;
        if (value.isBlank()) {
            needs(spec, ctx, blank);
            return null;
        }
        return value;
    }

    /** The strings of the list {@code key} that match {@code regex}; each other one is reported as not {@code what}. */
    protected static List<String> names(Fields f, ParseContext ctx, String key, String regex, String what) {
        List<String> names = new ArrayList<>();
        for (String n : f.stringList(key)) {
            if (n.matches(regex)) names.add(n);
            else ctx.problem(f.node(key), "'" + n + "' is not " + what);
        }
        return names;
    }
}
