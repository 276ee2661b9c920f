package io.triaready.core.expect;

/** The value at a path that does not exist (distinct from a JSON null). */
public enum Missing {
    INSTANCE;

    @Override
    public String toString() { return "nothing"; }
}
