package io.triaready.core.score;

/**
 * A category's share of the score: {@code budget} points (normalised so the run's budgets add to 100),
 * {@code ratio} the weighted pass ratio of its checks, {@code points} = budget × ratio.
 */
public record CategoryScore(String name, double budget, Tally tally, Double ratio, Double points) {}
