package io.triaready.fix;

/** What one step did on one host: {@code rollback} marks steps of the rollback list. */
public record StepLog(String host, int index, String description, boolean ok, String message, long durationMs, boolean rollback) {}
