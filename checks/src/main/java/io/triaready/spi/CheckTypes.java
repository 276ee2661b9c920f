package io.triaready.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The check types a playbook may use, by YAML key. Explicit registration (no classpath scanning):
 * a new check type is one package plus one line in
 * {@code io.triaready.builtin.BuiltIns#checkTypes()}.
 */
public final class CheckTypes {
    private final Map<String, CheckType> byName = new LinkedHashMap<>();

    public CheckTypes(List<CheckType> types) {
        for (CheckType t : types) byName.put(t.name(), t);
    }

    public Optional<CheckType> get(String name) { return Optional.ofNullable(byName.get(name)); }

    public Collection<String> names() { return byName.keySet(); }

    public Collection<CheckType> all() { return byName.values(); }
}
