package io.triaready.base.secret;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that masks every secret line by line before passing the text on: for output printed as
 * it happens (the fix command's plan, progress and outcome), where no whole text exists to mask at
 * the end. A line is held until its newline (or a flush), so a secret is never cut in two.
 */
public final class MaskingWriter extends Writer {
    private final Writer out;
    private final Secrets secrets;
    private final StringBuilder line = new StringBuilder();

    public MaskingWriter(Writer out, Secrets secrets) {
        this.out = out;
        this.secrets = secrets;
    }

    @Override
    public synchronized void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            line.append(cbuf[i]);
            if (cbuf[i] == '\n') emit();
        }
    }

    private void emit() throws IOException {
        if (line.length() == 0) return;
        out.write(secrets.mask(line.toString()));
        line.setLength(0);
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        out.close();
    }
}
