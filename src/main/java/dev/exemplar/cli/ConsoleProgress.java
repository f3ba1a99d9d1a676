package dev.exemplar.cli;

import dev.exemplar.summary.Progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Shows the engine's progress on stderr: on an interactive terminal a bar redrawn in place at most ten times a
 * second; otherwise (pipes, CI logs) a plain line every five seconds and one at the end of each phase.
 * {@link #advance} is called from worker threads: counting is lock-free, drawing is serialised.
 */
final class ConsoleProgress implements Progress {
    private static final int BAR = 24;

    private final PrintWriter err;
    private final boolean interactive;
    private final LongSupplier nanos;
    private final long intervalNanos;

    private final AtomicLong done = new AtomicLong();
    private volatile String phase;
    private volatile long total;
    private volatile long phaseStart;
    private volatile long lastDraw;
    private int drawnWidth;

    ConsoleProgress(PrintWriter err, boolean interactive, LongSupplier nanos) {
        this.err = err;
        this.interactive = interactive;
        this.nanos = nanos;
        this.intervalNanos = interactive ? 100_000_000L : 5_000_000_000L;
    }

    /** A bar when stderr is a terminal and no CI system is running us, plain lines otherwise. */
    static ConsoleProgress forConsole(PrintWriter err) {
        String ci = System.getenv("CI");
        boolean interactive = System.console() != null && (ci == null || ci.isBlank() || ci.equals("false"));
        return new ConsoleProgress(err, interactive, System::nanoTime);
    }

    @Override
    public synchronized void phase(String name, long total) {
        endPhase();
        this.phase = name;
        this.total = total;
        done.set(0);
        phaseStart = nanos.getAsLong();
        lastDraw = phaseStart;
        if (interactive) draw(false);
    }

    @Override
    public void advance(long steps) {
        done.addAndGet(steps);
        long now = nanos.getAsLong();
        // cheap check first, so worker threads rarely contend for the lock
        if (now - lastDraw < intervalNanos) return;
        synchronized (this) {
            if (now - lastDraw < intervalNanos || phase == null) return;
            lastDraw = now;
            draw(false);
        }
    }

    /** Ends the last phase; call once the run is over. */
    synchronized void finish() {
        endPhase();
        phase = null;
    }

    private void endPhase() {
        if (phase == null) return;
        draw(true);
    }

    private void draw(boolean end) {
        long d = Math.min(done.get(), total);
        if (end && d == 0 && total <= 1) d = total; // single-step phases never advance
        long elapsed = nanos.getAsLong() - phaseStart;
        double secs = elapsed / 1e9;
        double rate = secs > 0 ? d / secs : 0;
        StringBuilder s = new StringBuilder();
        if (interactive) {
            int filled = total > 0 ? (int) (BAR * d / total) : 0;
            s.append(String.format(Locale.ROOT, "%-10s [", phase)).append("#".repeat(filled))
                    .append(" ".repeat(BAR - filled)).append("] ");
        } else {
            s.append(phase).append(": ");
        }
        s.append(d).append('/').append(total);
        if (total > 1) s.append(String.format(Locale.ROOT, " (%d%%)", total > 0 ? 100 * d / total : 100));
        if (end) {
            s.append(String.format(Locale.ROOT, ", done in %s", duration(secs)));
            if (total > 1 && secs > 0) s.append(String.format(Locale.ROOT, ", %.1f/s", rate));
        } else if (d > 0 && total > 1) {
            s.append(String.format(Locale.ROOT, ", %.1f/s, ETA %s", rate, duration((total - d) / Math.max(rate, 1e-9))));
        }
        if (interactive) {
            // '\r' and padding overwrite the previous drawing of this line
            String line = s.toString();
            err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            drawnWidth = line.length();
            if (end) {
                err.print('\n');
                drawnWidth = 0;
            }
        } else {
            err.println(s);
        }
        err.flush();
    }

    static String duration(double secs) {
        if (secs < 10) return String.format(Locale.ROOT, "%.1f s", secs);
        long s = Math.round(secs);
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d h", s / 3600, s / 60 % 60);
    }
}
