package io.triaready.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a probe observed: named values (numbers, strings, booleans, lists, maps, null), some computed
 * only when an expectation asks (parsing a body as JSON, say). The facts that expectations read
 * become the check's evidence, so a report shows exactly what was compared.
 */
public final class Facts {
    private final Map<String, Object> values;
    private final Map<String, Callable<Object>> lazy;
    private final Map<String, Object> accessed = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> notes;

    private Facts(Map<String, Object> values, Map<String, Callable<Object>> lazy, List<String> notes) {
        this.values = Collections.synchronizedMap(values);
        this.lazy = lazy;
        this.notes = List.copyOf(notes);
    }

    public static Builder builder() { return new Builder(); }

    public boolean has(String name) { return values.containsKey(name) || lazy.containsKey(name); }

    /** The fact's value; a lazy fact that cannot be computed (e.g. body is not JSON) is a {@link ProbeException}. */
    public Object get(String name) throws ProbeException {
        Object v;
        if (values.containsKey(name)) {
            v = values.get(name);
        } else if (lazy.containsKey(name)) {
            try {
                v = lazy.get(name).call();
            } catch (ProbeException e) {
                throw e;
            } catch (Exception e) {
                throw new ProbeException(name + ": " + e.getMessage(), e);
            }
            values.put(name, v);
        } else {
            throw new ProbeException("this check does not observe '" + name + "'");
        }
        accessed.putIfAbsent(name, v);
        return v;
    }

    /** The facts that expectations have read, in the order they were read. */
    public Map<String, Object> accessed() {
        synchronized (accessed) {
            return new LinkedHashMap<>(accessed);
        }
    }

    /** Lines the probe wants shown as evidence whatever was compared, e.g. "GET /health -> 404 in 12ms". */
    public List<String> notes() { return notes; }

    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, Callable<Object>> lazy = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        public Builder put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        public Builder lazy(String name, Callable<Object> supplier) {
            lazy.put(name, supplier);
            return this;
        }

        public Builder note(String line) {
            notes.add(line);
            return this;
        }

        public Facts build() { return new Facts(values, lazy, notes); }
    }
}
