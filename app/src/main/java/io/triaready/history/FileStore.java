package io.triaready.history;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triaready.core.engine.RunResult;
import io.triaready.core.score.Verdict;
import io.triaready.report.JsonOut;
import io.triaready.report.ResultJson;

/**
 * The embedded store, a directory:
 * <pre>
 *   index.jsonl          one JSON object per recorded run, appended, oldest first
 *   index.lock           held (FileChannel.lock) by whoever is recording
 *   results/ID.json      the full v1 result of each run
 *   fixes/ID.json        each fix that ran (tria-ready/fix/v1), written atomically
 * </pre>
 * Recording takes the lock, writes the result to a temporary file, forces it to disk and renames it
 * into place, then appends one index line in a single write and forces it. So an index line always
 * names a complete result; a crash leaves at worst an orphan result file (never listed) or a torn
 * last index line, which readers skip and the next writer starts a fresh line after.
 * Readers take no lock: the index only grows, and an incomplete last line is skipped.
 */
public final class FileStore implements HistoryStore {
    static final String INDEX = "index.jsonl";
    static final String LOCK = "index.lock";
    static final String RESULTS = "results";
    static final String FIXES = "fixes";
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * File locks belong to the whole JVM (a second lock from another thread throws
     * OverlappingFileLockException), so threads of one process queue here first.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path dir;

    public FileStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() { return dir; }

    @Override
    public String location() { return dir.toString(); }

    @Override
    public HistoryEntry save(RunResult result, String json) throws StoreException {
        try {
            Path results = dir.resolve(RESULTS);
            Files.createDirectories(results);
            ReentrantLock local = IN_PROCESS.computeIfAbsent(dir.toRealPath(), k -> new ReentrantLock());
            local.lock();
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                String id;
                Path file;
                do {
                    id = Ids.next(result.started());
                    file = results.resolve(id + ".json");
                } while (Files.exists(file));
                writeDurably(file, json);
                HistoryEntry entry = HistoryEntry.of(id, result);
                append(dir.resolve(INDEX), indexLine(entry));
                return entry;
            } finally {
                local.unlock();
            }
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot record in " + dir + ": " + StoreException.oneLine(e), e);
        }
    }

    @Override
    public List<HistoryEntry> entries(String playbook, String target, int limit) throws StoreException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot read history in " + dir + ": " + StoreException.oneLine(e), e);
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (String line : lines) {
            HistoryEntry e = parseIndexLine(line);
            if (e == null) continue;
            if (playbook != null && !playbook.equals(e.playbook())) continue;
            if (target != null && !target.equals(e.target())) continue;
            out.add(e);
        }
        return limit > 0 && out.size() > limit ? List.copyOf(out.subList(out.size() - limit, out.size())) : out;
    }

    @Override
    public RunResult load(String id) throws StoreException {
        if (!Ids.VALID.matcher(id).matches()) throw new StoreException("'" + id + "' is not a history id (like 20261121-152013-7f3a)");
        Path file = dir.resolve(RESULTS).resolve(id + ".json");
        try {
            return ResultJson.read(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            throw new StoreException("no run '" + id + "' in history " + dir);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot read run " + id + " from " + file + ": " + StoreException.oneLine(e), e);
        }
    }

    /** Temp file in the same directory, forced to disk, then renamed over the final name. */
    private static void writeDurably(Path file, String content) throws IOException {
        publish(Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp"), file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, content.getBytes(StandardCharsets.UTF_8));
                ch.force(true);
            }
        });
    }

    /** Writes the temp file {@code tmp}, then renames it over {@code file} (atomically where the file system can); {@code tmp} never stays behind. */
    private static void publish(Path tmp, Path file, TempWrite write) throws IOException {
        try {
            write.to(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    private interface TempWrite {
        void to(Path tmp) throws IOException;
    }

    /** One write of a whole line; if the file ends in a torn line (a crash mid-append), start on a fresh line. */
    private static void append(Path index, String line) throws IOException {
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            String text = line + "\n";
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                if (last.get(0) != '\n') text = "\n" + text;
            }
            ch.position(size);
            writeFully(ch, text.getBytes(StandardCharsets.UTF_8));
            ch.force(false);
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }

    static String indexLine(HistoryEntry e) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", e.id());
            g.writeStringField("started", e.started().toString());
            g.writeStringField("playbook", e.playbook());
            g.writeStringField("target", e.target());
            JsonOut.number(g, "score", e.score());
            g.writeStringField("verdict", e.verdict().name());
            g.writeBooleanField("interrupted", e.interrupted());
            if (e.scope() != null) g.writeStringField("scope", e.scope());
            g.writeEndObject();
        }
        return w.toString();
    }

    /** The entry of one index line, or null for a torn or foreign line. */
    static HistoryEntry parseIndexLine(String line) {
        if (line.isBlank()) return null;
        try {
            JsonNode n = MAPPER.readTree(line);
            if (n == null || !n.isObject()) return null;
            String id = n.path("id").asText("");
            if (!Ids.VALID.matcher(id).matches() || !n.path("playbook").isTextual() || !n.path("target").isTextual()) return null;
            JsonNode score = n.path("score");
            return new HistoryEntry(id, Instant.parse(n.path("started").asText()), n.path("playbook").asText(), n.path("target").asText(),
                    score.isNumber() ? score.asDouble() : null, Verdict.valueOf(n.path("verdict").asText()), n.path("interrupted").asBoolean(),
                    n.path("scope").isTextual() ? n.path("scope").asText() : null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void saveFix(FixRecord fix, String json) throws StoreException {
        try {
            Path fixes = dir.resolve(FIXES);
            Files.createDirectories(fixes);
            Path file = fixes.resolve(fix.id() + ".json");
            if (Files.exists(file)) throw new StoreException("a fix record " + fix.id() + " already exists in " + dir + ": not overwritten");
            publish(Files.createTempFile(fixes, "." + fix.id(), ".tmp"), file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StoreException("cannot record the fix in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public List<FixRecord> fixes(String playbook, String target, Instant since) throws StoreException {
        Path fixes = dir.resolve(FIXES);
        List<FixRecord> out = new ArrayList<>();
        if (!Files.isDirectory(fixes)) return out;
        try (var files = Files.list(fixes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    JsonNode n = MAPPER.readTree(f.toFile());
                    FixRecord r = new FixRecord(f.getFileName().toString().replace(".json", ""), Instant.parse(n.path("finished").asText()),
                            n.path("playbook").asText(), n.path("target").asText(), n.path("fix").asText(), n.path("status").asText(),
                            n.path("operator").asText(), n.path("message").asText());
                    if ((playbook == null || playbook.equals(r.playbook())) && (target == null || target.equals(r.target()))
                            && (since == null || r.finished().isAfter(since))) out.add(r);
                } catch (IOException | RuntimeException e) {
                    // a damaged record must not hide the others
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read fixes in " + dir + ": " + e.getMessage());
        }
        out.sort((a, b) -> a.finished().compareTo(b.finished()));
        return out;
    }
}
