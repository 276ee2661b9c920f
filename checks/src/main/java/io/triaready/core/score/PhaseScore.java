package io.triaready.core.score;

import io.triaready.core.playbook.Phase;

/** A phase's counts; {@code complete} when it has checks, all of them ran and all passed. {@code score} is null without data. */
public record PhaseScore(Phase phase, Tally tally, Double score, boolean complete) {}
