package io.triaready.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.triaready.core.engine.RunResult;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
import io.triaready.history.StoreException;
import io.triaready.report.ResultJson;

/** A result the user names: a saved JSON file, or the id (or id prefix) of a run in the history store. */
final class ResultRefs {
    /** {@code entry} is null for a file. */
    record Loaded(String ref, RunResult result, HistoryEntry entry) {
        String label() { return entry != null ? entry.id() : ref; }
    }

    private ResultRefs() {}

    static Loaded load(String ref, Supplier<HistoryStore> store) {
        Path path;
        try {
            path = Path.of(ref);
        } catch (java.nio.file.InvalidPathException e) {
            path = null;
        }
        if (path != null && Files.exists(path)) return new Loaded(ref, readFile(path), null);
        if (ref.contains("/") || ref.contains("\\") || ref.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            throw new UserError(ref + ": no such file");
        }
        try {
            HistoryStore s = store.get();
            HistoryEntry e = s.resolve(ref);
            return new Loaded(ref, s.load(e.id()), e);
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    static RunResult readFile(Path path) {
        if (Files.isDirectory(path)) throw new UserError(path + ": is a directory, not a result file");
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return ResultJson.read(in);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(path + ": not a tria-ready result (not UTF-8 text)");
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (e instanceof java.nio.file.AccessDeniedException) m = "permission denied";
            throw new UserError(path + ": " + m);
        }
    }
}
