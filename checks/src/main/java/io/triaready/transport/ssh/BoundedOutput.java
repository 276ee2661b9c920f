package io.triaready.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One output stream of a command on an exec channel of its own: keeps the first {@link #MAX} bytes,
 * drops the rest; hands complete lines to a listener if there is one.
 */
final class BoundedOutput extends OutputStream {
    /** Output kept per stream; the rest is dropped so a chatty command cannot exhaust memory. */
    static final int MAX = 1024 * 1024;
    private static final int MAX_LINE = 16 * 1024;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Consumer<String> onLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    BoundedOutput(Consumer<String> onLine) { this.onLine = onLine; }

    @Override
    public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int n = Math.min(len, MAX - buf.size());
        if (n > 0) buf.write(b, off, n);
        if (onLine == null) return;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                onLine.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() < MAX_LINE) {
                line.write(b[i]);
            }
        }
    }

    synchronized void flushLine() {
        if (onLine != null && line.size() > 0) onLine.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }

    synchronized String text() { return buf.toString(StandardCharsets.UTF_8); }
}
