package io.triaready.core.score;

import java.util.List;

/** The run's score (0–100, or null for "no data"), with the parts it was made of. */
public record Score(Double value, List<PhaseScore> phases, List<CategoryScore> categories, Tally total) {
    public Score {
        phases = List.copyOf(phases);
        categories = List.copyOf(categories);
    }

    public boolean hasData() { return value != null; }
}
