package io.triaready.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes the process id line off the front of stderr ({@link #prefix}); passes everything else
 * through. If the first line is not one (a shell that did not run it), it is passed through too.
 */
final class PidLine extends OutputStream {
    /**
     * The command as sent: a first line that prints the shell's process id to stderr, then the command.
     * sshd starts each channel's shell as a session and process group leader, so that id names the group
     * to stop on a timeout. On a line of its own, so that a syntax error in the command cannot skip it.
     */
    static String prefix(String tag, String command) {
        return "printf '%s\\n' \"" + tag + ":$$\" >&2\n" + command;
    }

    private final byte[] tag;
    private final OutputStream next;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private boolean done;
    private volatile long pid;

    PidLine(String tag, OutputStream next) {
        this.tag = (tag + ":").getBytes(StandardCharsets.US_ASCII);
        this.next = next;
    }

    long pid() { return pid; }

    @Override
    public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (done) {
            next.write(b, off, len);
            return;
        }
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            int at = head.size();
            if (c == '\n' && at > tag.length) {
                try {
                    pid = Long.parseLong(head.toString(StandardCharsets.US_ASCII).substring(tag.length));
                } catch (NumberFormatException e) {
                    head.write(c);
                    giveUp();
                    next.write(b, i + 1, off + len - i - 1);
                    return;
                }
                done = true;
                head.reset();
                next.write(b, i + 1, off + len - i - 1);
                return;
            }
            boolean fits = at < tag.length ? c == tag[at] : c >= '0' && c <= '9' && at < tag.length + 20;
            head.write(c);
            if (!fits) {
                giveUp();
                next.write(b, i + 1, off + len - i - 1);
                return;
            }
        }
    }

    /** Not a process id line: what was held back is the command's own output. */
    private void giveUp() throws IOException {
        done = true;
        next.write(head.toByteArray());
        head.reset();
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!done && head.size() > 0) giveUp();
    }
}
