package io.triaready.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the terminal (or the cron mail, or the container log) can show. Under a locale that is not
 * UTF-8 ({@code LC_ALL=C}, common in cron jobs and minimal containers) Java encodes our UTF-8 glyphs as
 * {@code ?}: every status mark of the text report would be a question mark. There the process's
 * standard streams go through {@link Ascii}, which writes each glyph's ASCII stand-in instead
 * ({@code ✓} as {@code +}, {@code →} as {@code ->}). Files written with {@code -o} stay UTF-8.
 */
final class ConsoleCharset {
    private ConsoleCharset() {}

    /** The charset Java uses for standard output (JDK 19+ names it; JDK 17 follows the locale's). */
    static Charset stdout() {
        for (String p : new String[] {"stdout.encoding", "sun.stdout.encoding", "native.encoding", "file.encoding"}) {
            String name = System.getProperty(p);
            if (name == null || name.isBlank()) continue;
            try {
                return Charset.forName(name);
            } catch (RuntimeException e) {
                // an unknown name: try the next property
            }
        }
        return Charset.defaultCharset();
    }

    /** {@code fd} as a UTF-8 stream when the console can show UTF-8, else one that writes ASCII stand-ins. */
    static PrintStream stream(PrintStream original, FileDescriptor fd) {
        Charset console = stdout();
        if (console.newEncoder().canEncode('✓')) return original;
        return new PrintStream(new Ascii(new FileOutputStream(fd)), true, StandardCharsets.UTF_8);
    }

    /** The stand-ins; anything else outside ASCII becomes {@code ?} as it would have anyway. */
    static final Map<Character, String> STAND_INS = Map.ofEntries(
            Map.entry('✓', "+"), Map.entry('✗', "x"), Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('·', "-"),
            Map.entry('…', "..."), Map.entry('—', "--"), Map.entry('–', "-"), Map.entry('⚠', "!"), Map.entry('≥', ">="),
            Map.entry('≤', "<="), Map.entry('×', "x"), Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""),
            Map.entry('”', "\""), Map.entry('•', "*"), Map.entry('↑', "^"), Map.entry('↓', "v"), Map.entry('▁', "_"),
            Map.entry('▂', "_"), Map.entry('▃', "."), Map.entry('▄', "-"), Map.entry('▅', "-"), Map.entry('▆', "="),
            Map.entry('▇', "#"), Map.entry('█', "#"), Map.entry('\u00a0', " "), Map.entry('°', " deg"));

    static String ascii(CharSequence s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) b.append(c);
            else if (Character.isHighSurrogate(c)) {
                b.append('?');
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            } else if (c == '\ufe0f') {
                // an emoji variation selector: nothing to show
            } else b.append(STAND_INS.getOrDefault(c, "?"));
        }
        return b.toString();
    }

    /** Decodes the UTF-8 it is given (across write boundaries) and writes its ASCII form. */
    static final class Ascii extends OutputStream {
        private final OutputStream out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8192);
        private final CharBuffer chars = CharBuffer.allocate(8192);

        Ascii(OutputStream out) { this.out = out; }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, pending.remaining());
                pending.put(b, off, n);
                off += n;
                len -= n;
                drain(false);
            }
        }

        private void drain(boolean end) throws IOException {
            pending.flip();
            while (true) {
                var result = decoder.decode(pending, chars, end);
                chars.flip();
                out.write(ascii(chars).getBytes(StandardCharsets.US_ASCII));
                chars.clear();
                if (!result.isOverflow()) break;
            }
            pending.compact(); // an incomplete UTF-8 sequence waits for its next bytes
        }

        @Override
        public synchronized void flush() throws IOException { out.flush(); }

        @Override
        public synchronized void close() throws IOException {
            drain(true);
            out.close();
        }
    }
}
