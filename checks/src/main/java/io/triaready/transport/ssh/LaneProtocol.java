package io.triaready.transport.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The wire format of a {@link ShellLane}: the loop it runs on the target, how a command is sent to it,
 * and how its replies are cut out of the two output streams.
 *
 * <p>Framing: the command goes to the loop's stdin as a line count and its lines. After it ends the loop
 * writes {@code \n<marker>:<exit code>\n} to stdout and {@code \n<marker>:\n} to stderr, so each stream
 * is cut exactly where the command's own output ended. The loop and the marker (random per lane)
 * are sent on stdin, so neither appears in a process listing. The loop first announces itself ({@code
 * \n<marker>:ready}); a lane whose loop never starts (a restricted shell, a ForceCommand) is
 * {@link ShellLane.Unavailable}, and the connection falls back to a channel per command.
 */
final class LaneProtocol {
    private LaneProtocol() {}

    /**
     * The loop: one line, read from stdin and eval'ed (no literal newline: {@code N} is made by printf).
     * Each report ends the loop if it cannot be written ({@code || exit}, for a shell started with
     * SIGPIPE ignored; otherwise SIGPIPE ends it first): see {@link ShellLane}.
     */
    static final String LOOP = "IFS= read -r M || exit 0; S=${SHELL:-/bin/sh}; N=$(printf \"\\nx\"); N=${N%x}; "
            + "G=; command -v setsid >/dev/null 2>&1 && G=setsid; "
            + "printf \"\\n%s:ready\\n\" \"$M\" || exit; "
            + "while IFS= read -r n; do c=; while [ \"$n\" -gt 0 ]; do IFS= read -r l || exit 0; c=\"$c$l$N\"; n=$((n-1)); done; "
            + "TRIA_M=$M $G /bin/sh -c 'printf \"\\n%s:@%s\\n\" \"$TRIA_M\" \"$$\" || exit 141; unset TRIA_M; exec \"$0\" -c \"$1\"' "
            + "\"$S\" \"$c\" </dev/null & p=$!; wait $p; r=$?; printf \"\\n%s:%s\\n\" \"$M\" \"$r\" || exit; printf \"\\n%s:\\n\" \"$M\" >&2 || exit; done";

    /** A command as the loop reads it: its line count, then its lines. */
    static String request(String command) {
        String body = command.endsWith("\n") ? command.substring(0, command.length() - 1) : command;
        int lines = 1;
        for (int i = 0; i < body.length(); i++) if (body.charAt(i) == '\n') lines++;
        return lines + "\n" + body + "\n";
    }

    /** The exit code a stdout record ends with; null when it is not one. */
    static Integer status(String tail) {
        try {
            return Integer.parseInt(tail);
        } catch (NumberFormatException x) {
            return null;
        }
    }

    /** One command's output on one stream, and what followed the marker (the exit code on stdout). */
    record Record(byte[] content, String tail) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    /**
     * Cuts one stream into records at {@code \n<marker>:<tail>\n}, handed to {@code sink} in order (on
     * MINA's I/O thread). The pattern has its only newline
     * first, so a mismatch restarts the match at most at the current byte. Content beyond {@code max}
     * bytes is dropped (the stream is still scanned), as for a channel of its own.
     */
    static final class Framer extends OutputStream {
        private final Consumer<Record> sink;
        private final byte[] pattern;
        private final int max;
        private final java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        private final StringBuilder tail = new StringBuilder();
        private int matched;
        private boolean inTail;

        Framer(byte[] marker, int max, Consumer<Record> sink) {
            this.sink = sink;
            pattern = new byte[marker.length + 2];
            pattern[0] = '\n';
            System.arraycopy(marker, 0, pattern, 1, marker.length);
            pattern[pattern.length - 1] = ':';
            this.max = max;
        }

        @Override
        public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) accept(b[i]);
        }

        private void accept(byte c) {
            if (inTail) {
                if (c == '\n') {
                    sink.accept(new Record(content.toByteArray(), tail.toString()));
                    content.reset();
                    tail.setLength(0);
                    inTail = false;
                } else if (tail.length() < 64) {
                    tail.append((char) (c & 0xff));
                }
                return;
            }
            if (c == pattern[matched]) {
                if (++matched == pattern.length) {
                    matched = 0;
                    inTail = true;
                }
                return;
            }
            if (matched > 0) {
                keep(pattern, matched);
                matched = 0;
                if (c == pattern[0]) {
                    matched = 1;
                    return;
                }
            }
            if (content.size() < max) content.write(c);
        }

        private void keep(byte[] b, int n) {
            int room = Math.min(n, max - content.size());
            if (room > 0) content.write(b, 0, room);
        }
    }
}
