package io.triaready.history;

import java.util.ArrayList;
import java.util.List;

import io.triaready.core.engine.RunResult;

/**
 * Where audits are recorded: the full JSON result (already masked by the caller) plus an index row.
 * Implementations must be safe against two runs recording at once and against a crash mid-write.
 */
public interface HistoryStore extends AutoCloseable {
    /** Where it is, for messages (secrets masked). */
    String location();

    /** Records a run under a new unique id. {@code json} is the v1 result, secrets already masked. */
    HistoryEntry save(RunResult result, String json) throws StoreException;

    /**
     * Index rows, oldest first. {@code playbook} and {@code target} filter when not null; {@code limit}
     * keeps only the most recent ones (0: all).
     */
    List<HistoryEntry> entries(String playbook, String target, int limit) throws StoreException;

    /** Records a fix that ran; {@code json} is its tria-ready/fix/v1 record, secrets already masked. */
    void saveFix(FixRecord fix, String json) throws StoreException;

    /** Fixes recorded for a playbook on a target that finished after {@code since}, oldest first. */
    List<FixRecord> fixes(String playbook, String target, java.time.Instant since) throws StoreException;

    /** The full result of a recorded run. @throws StoreException when there is no such id or it cannot be read */
    RunResult load(String id) throws StoreException;

    /** A run's full result, or (result null) the one-line reason it could not be read. */
    record Stored(String id, RunResult result, String problem) {}

    /**
     * The full results of several runs, in the order of {@code ids}. A run that cannot be read comes
     * back with its problem instead: one damaged result must not hide the others.
     * @throws StoreException when the store itself cannot be read
     */
    default List<Stored> loadAll(List<String> ids) throws StoreException {
        List<Stored> out = new ArrayList<>();
        for (String id : ids) {
            try {
                out.add(new Stored(id, load(id), null));
            } catch (StoreException e) {
                out.add(new Stored(id, null, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    default void close() throws StoreException { }

    /**
     * The run a user means by {@code ref}: an exact id or an unambiguous prefix of one
     * (ids start with the date, so {@code 20261121-0910} is usually enough).
     */
    default HistoryEntry resolve(String ref) throws StoreException {
        List<HistoryEntry> all = entries(null, null, 0);
        List<HistoryEntry> matches = new ArrayList<>();
        for (HistoryEntry e : all) {
            if (e.id().equals(ref)) return e;
            if (e.id().startsWith(ref)) matches.add(e);
        }
        if (matches.size() == 1) return matches.get(0);
        if (matches.isEmpty()) {
            throw new StoreException("no run '" + ref + "' in history " + location() + " (see 'tria-ready history' for ids)");
        }
        throw new StoreException("'" + ref + "' matches " + matches.size() + " runs in history (" + String.join(", ",
                matches.stream().limit(3).map(HistoryEntry::id).toList()) + (matches.size() > 3 ? ", ..." : "") + "): give more of the id");
    }
}
