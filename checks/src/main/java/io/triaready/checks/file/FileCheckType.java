package io.triaready.checks.file;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.triaready.base.json.Json;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.PlainYaml;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.core.expect.FileMode;
import io.triaready.core.expect.Missing;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.FilePeek;
import io.triaready.spi.FileStat;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code file: /etc/x} or {@code file: {path: /etc/x}}: a file on every host of the target.
 * Facts: exists, type (file, directory, symlink, other), mode, owner, group, size, content (primary;
 * read only when an expectation asks), lines, json and yaml (the content parsed). Without
 * {@code expect}, the file must exist.
 */
public final class FileCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("content", "exists", "type", "mode", "owner", "group", "size",
            "content", "lines", "json", "yaml").withDefault("exists: true");

    public FileCheckType() { super("file", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String path = scalarOrKey(spec, ctx, "path", "a path");
        return path == null ? null : new FileProbe(path);
    }

    public record FileProbe(String path) implements HostProbe {
        @Override
        public String describe() { return "file " + path; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            HostTransport host = ctx.host();
            // metadata and the start of the content in one command: most checked files are small
            FilePeek peek = host.peek(path, FilePeek.PEEK_BYTES, ctx.deadline().forCommand());
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
                        content[0] = new String(host.read(path, HostTransport.MAX_READ, ctx.deadline().forCommand()), StandardCharsets.UTF_8);
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
