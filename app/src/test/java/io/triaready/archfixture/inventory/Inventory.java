package io.triaready.archfixture.inventory;

/** A planted violation: the inventory loader asking builtin for the transports (they must be passed in). */
public final class Inventory {
    public Object all() { return io.triaready.archfixture.builtin.BuiltIns.all(); }
}
