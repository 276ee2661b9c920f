package io.triaready.file;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.triaready.check.CheckType;
import io.triaready.check.FactSchema;
import io.triaready.check.Facts;
import io.triaready.check.Probe;
import io.triaready.check.ProbeContext;
import io.triaready.check.ProbeException;
import io.triaready.check.Scope;
import io.triaready.expect.FileMode;
import io.triaready.expect.Missing;
import io.triaready.host.FileStat;
import io.triaready.host.HostTransport;
import io.triaready.json.Json;
import io.triaready.playbook.Fields;
import io.triaready.playbook.ParseContext;
import io.triaready.playbook.YNode;
import io.triaready.yaml.PlainYaml;

/**
 * {@code file: /etc/x} or {@code file: {path: /etc/x}}: a file on every host of the target.
 * Facts: exists, type (file, directory, symlink, other), mode, owner, group, size, content (primary;
 * read only when an expectation asks), lines, json and yaml (the content parsed). Without
 * {@code expect}, the file must exist.
 */
public final class FileCheckType implements CheckType {
    static final FactSchema FACTS = FactSchema.of("content", "exists", "type", "mode", "owner", "group", "size",
            "content", "lines", "json", "yaml").withDefault("exists: true");

    @Override
    public String name() { return "file"; }

    @Override
    public FactSchema facts() { return FACTS; }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String path;
        if (spec.isScalar()) {
            path = ctx.string(spec, "'file'");
        } else {
            Fields f = Fields.of(spec, ctx, "file check");
            path = f.requiredString("path");
            f.finish();
        }
        if (path == null) return null;
        if (path.isBlank()) {
            ctx.problem(spec, "'file' needs a path");
            return null;
        }
        return new FileProbe(path);
    }

    public record FileProbe(String path) implements Probe {
        @Override
        public String describe() { return "file " + path; }

        @Override
        public Scope scope() { return Scope.HOST; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            HostTransport host = ctx.host();
            // metadata and the start of the content in one command: most checked files are small
            io.triaready.host.FilePeek peek = host.peek(path, io.triaready.host.FilePeek.PEEK_BYTES, ctx.remaining());
            Optional<FileStat> stat = peek.stat();
            Facts.Builder b = Facts.builder().put("exists", stat.isPresent());
            if (stat.isEmpty()) {
                for (String n : new String[] {"type", "mode", "owner", "group", "size", "content", "lines", "json", "yaml"}) {
                    b.put(n, Missing.INSTANCE);
                }
                return b.note(path + " does not exist").build();
            }
            FileStat s = stat.get();
            Object[] content = new Object[] {peek.complete() ? peek.head() : null};
            java.util.concurrent.Callable<Object> read = () -> {
                synchronized (content) {
                    if (content[0] == null) {
                        if (!s.type().equals("file")) throw new ProbeException(path + " is a " + s.type() + ", not a file: its content cannot be read");
                        content[0] = new String(host.read(path, HostTransport.MAX_READ, ctx.remaining()), StandardCharsets.UTF_8);
                    }
                    return content[0];
                }
            };
            return b.put("type", s.type())
                    .put("mode", new FileMode(s.mode()))
                    .put("owner", s.owner())
                    .put("group", s.group())
                    .put("size", s.size())
                    .lazy("content", read)
                    .lazy("lines", () -> ((String) read.call()).lines().toList())
                    .lazy("json", () -> Json.parse((String) read.call()))
                    .lazy("yaml", () -> PlainYaml.parse((String) read.call(), path))
                    .note(path + ": " + s.type() + " " + s.modeOctal() + " " + s.owner() + ":" + s.group() + " " + s.size() + " bytes")
                    .build();
        }
    }
}
