package io.triaready.progress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.triaready.core.engine.RunListener;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.report.TerminalSafe;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;

/**
 * A few lines at the bottom of the terminal while an audit runs, redrawn in place: checks done of
 * the total, the checks still running with their elapsed time, and the latest failures as they
 * happen. {@link #close()} erases the lines, so the final report starts where they were.
 * The listener methods are called from worker threads; all state and all drawing are guarded by
 * this object's monitor, and a daemon ticker refreshes the elapsed times.
 */
public final class LiveProgress implements RunListener, AutoCloseable {
    static final int MAX_FAILURES = 3;
    private static final long MIN_REDRAW_NANOS = 50_000_000L;

    private final Terminal terminal;
    private final boolean color;
    private final boolean unicode;
    private final long startNanos = System.nanoTime();
    private final Map<String, Long> running = new LinkedHashMap<>();
    private final Deque<CheckResult> failures = new ArrayDeque<>();
    private final ScheduledExecutorService ticker;
    private int total = -1;
    private int done;
    private int notPassing;
    private int linesDrawn;
    private long lastDraw;
    private boolean closed;

    /**
     * Whether to show live progress at all: only for people watching a text report on a terminal,
     * never in CI (any value of {@code CI} except false/0/no), with --quiet or another format.
     */
    public static boolean wanted(boolean stdoutIsTerminal, String ciEnv, boolean quiet, String format) {
        if (!stdoutIsTerminal || quiet) return false;
        if (format != null && !format.equals("text")) return false;
        return ciEnv == null || ciEnv.isBlank() || ciEnv.equalsIgnoreCase("false") || ciEnv.equals("0") || ciEnv.equalsIgnoreCase("no");
    }

    /** @param tickMillis how often elapsed times are refreshed (0: only on events, for tests) */
    public LiveProgress(Terminal terminal, boolean color, long tickMillis) {
        this.terminal = terminal;
        this.color = color;
        this.unicode = StandardCharsets.UTF_8.equals(terminal.encoding());
        if (tickMillis > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tria-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    @Override
    public synchronized void planned(int total) {
        this.total = total;
        redraw(true);
    }

    @Override
    public synchronized void started(CheckDef check) {
        running.put(check.id(), System.nanoTime());
        redraw(false);
    }

    @Override
    public synchronized void finished(CheckResult result) {
        running.remove(result.id());
        done++;
        if (!result.outcome().passed()) notPassing++;
        // failures as they happen; a blocked check is only the echo of another's failure
        if (result.outcome() == Outcome.FAIL || result.outcome() == Outcome.ERROR) {
            failures.addLast(result);
            while (failures.size() > MAX_FAILURES) failures.removeFirst();
        }
        redraw(false);
    }

    private synchronized void tick() {
        redraw(true);
    }

    /** Draws now (tests; the ticker). */
    public synchronized void draw() {
        redraw(true);
    }

    private void redraw(boolean force) {
        if (closed) return;
        long now = System.nanoTime();
        if (!force && now - lastDraw < MIN_REDRAW_NANOS) return;
        lastDraw = now;
        try {
            erase();
            List<AttributedString> lines = lines(now);
            int width = terminal.getWidth() > 10 ? terminal.getWidth() : 80;
            for (AttributedString line : lines) {
                AttributedString cut = line.columnLength() >= width ? line.columnSubSequence(0, width - 1) : line;
                terminal.writer().write(color ? cut.toAnsi(terminal) : cut.toString());
                terminal.writer().write('\n');
            }
            linesDrawn = lines.size();
            terminal.flush();
        } catch (RuntimeException e) {
            // a display problem must never disturb the audit: stop drawing
            closed = true;
        }
    }

    /** Moves back to the first progress line and clears to the end of the screen. */
    private void erase() {
        if (linesDrawn == 0) return;
        terminal.puts(Capability.carriage_return);
        for (int i = 0; i < linesDrawn; i++) terminal.puts(Capability.cursor_up);
        terminal.puts(Capability.clr_eos);
        linesDrawn = 0;
    }

    List<AttributedString> lines(long now) {
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder head = new AttributedStringBuilder();
        head.style(AttributedStyle.BOLD).append(done + (total >= 0 ? "/" + total : "") + " checks").style(AttributedStyle.DEFAULT);
        if (notPassing > 0) {
            head.append(" · ").style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).append(notPassing + " not passing").style(AttributedStyle.DEFAULT);
        }
        if (!running.isEmpty()) head.append(" · " + running.size() + " running");
        head.style(AttributedStyle.DEFAULT.faint()).append(" · " + seconds(now - startNanos)).style(AttributedStyle.DEFAULT);
        out.add(head.toAttributedString());
        for (CheckResult f : failures) {
            AttributedStringBuilder b = new AttributedStringBuilder().append("  ");
            AttributedStyle style = AttributedStyle.DEFAULT.foreground(f.outcome() == Outcome.FAIL ? AttributedStyle.RED : AttributedStyle.YELLOW);
            b.style(style).append(f.outcome() == Outcome.FAIL ? (unicode ? "✗ " : "x ") : "! ").append(f.id()).style(AttributedStyle.DEFAULT);
            if (f.message() != null) b.append("  ").append(TerminalSafe.text(f.message().replace('\n', ' ')));
            out.add(b.toAttributedString());
        }
        if (!running.isEmpty()) {
            List<Map.Entry<String, Long>> longest = new ArrayList<>(running.entrySet());
            longest.sort(Map.Entry.comparingByValue()); // started first = running longest
            StringBuilder b = new StringBuilder("  running: ");
            for (int i = 0; i < longest.size(); i++) {
                if (i > 0) b.append(", ");
                b.append(longest.get(i).getKey()).append(' ').append(seconds(now - longest.get(i).getValue()));
            }
            out.add(new AttributedStringBuilder().style(AttributedStyle.DEFAULT.faint()).append(b).toAttributedString());
        }
        return out;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /** Stops the ticker and erases the progress lines (idempotent). */
    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        synchronized (this) {
            if (closed) return;
            closed = true;
            try {
                erase();
                terminal.flush();
            } catch (RuntimeException ignored) {
                // nothing more to do for a display
            }
        }
    }
}
