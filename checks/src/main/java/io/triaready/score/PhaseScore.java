package io.triaready.score;

import io.triaready.playbook.Phase;

/** A phase's counts; {@code complete} when it has checks and all of them passed. {@code score} is null without data. */
public record PhaseScore(Phase phase, Tally tally, Double score, boolean complete) {}
