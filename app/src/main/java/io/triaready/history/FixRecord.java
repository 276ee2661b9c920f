package io.triaready.history;

import java.time.Instant;

/** A fix that ran, as the history keeps it: enough to say "chromadb FIXED by alice@laptop at ..." (the full record is JSON). */
public record FixRecord(String id, Instant finished, String playbook, String target, String fix, String status, String operator, String message) {}
