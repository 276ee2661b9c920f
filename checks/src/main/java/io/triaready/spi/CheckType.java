package io.triaready.spi;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;

/**
 * A kind of check (http, command, file, sql, ...): the YAML key that selects it, the facts its
 * probe observes, and the parser that turns the user's mapping into a {@link Probe}.
 * Register new types in {@link CheckTypes}: one package plus one line.
 */
public interface CheckType {
    /** The key in a check entry: {@code http}, {@code command}, ... */
    String name();

    /** What the probe observes, which fact unqualified matchers apply to, and the default expectation. */
    FactSchema facts();

    /** Parses the value under {@link #name()}. Reports problems to {@code ctx} and may return null when it is unusable. */
    Probe parse(YNode spec, ParseContext ctx);
}
