package io.triaready.base.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A user's file is wrong. Carries every problem found; the CLI prints one line each and exits 2. */
public final class PlaybookException extends RuntimeException {
    private final List<Problem> problems;

    public PlaybookException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public PlaybookException(Problem problem) { this(List.of(problem)); }

    public List<Problem> problems() { return problems; }
}
