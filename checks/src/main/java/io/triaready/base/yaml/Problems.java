package io.triaready.base.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every mistake found in a load so the user sees them all at once, in file order. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    /** Not a mistake that stops the load, but a shape that cannot fail or does not test what it looks like. */
    public void warn(YNode at, String message) {
        warnings.add(at == null ? new Problem("<playbook>", 0, 0, message) : new Problem(at.file(), at.line(), at.column(), message));
    }

    /** The warnings, in file order. */
    public List<Problem> warnings() {
        List<Problem> copy = new ArrayList<>(warnings);
        Collections.sort(copy);
        return copy;
    }

    public void add(YNode at, String message) {
        // a problem about a value that came from elsewhere (a default) still gets reported, never a crash
        if (at == null) list.add(new Problem("<playbook>", 0, 0, message));
        else list.add(new Problem(at.file(), at.line(), at.column(), message));
    }

    public void add(String file, int line, int column, String message) {
        list.add(new Problem(file, line, column, message));
    }

    public void add(Problem p) { list.add(p); }

    public boolean isEmpty() { return list.isEmpty(); }

    public int size() { return list.size(); }

    public List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    /** Throws a {@link PlaybookException} carrying every problem, if there is any. */
    public void throwIfAny() {
        if (!list.isEmpty()) throw new PlaybookException(sorted());
    }
}
