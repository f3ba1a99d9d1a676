package dev.exemplar.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleProgressTest {
    private final AtomicLong clock = new AtomicLong();
    private final StringWriter err = new StringWriter();

    @Test
    void plainModePrintsPeriodicLinesAndOneAtEachPhaseEnd() {
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err), false, clock::get);
        p.phase("features", 100);
        p.advance(10);
        clock.addAndGet(6_000_000_000L); // past the five-second interval
        p.advance(40);
        p.advance(1); // too soon for another line
        p.phase("order", 1);
        clock.addAndGet(500_000_000L);
        p.finish();

        assertThat(err.toString().lines().toList()).containsExactly(
                "features: 50/100 (50%), 8.3/s, ETA 6.0 s",
                "features: 51/100 (51%), done in 6.0 s, 8.5/s",
                "order: 1/1, done in 0.5 s");
    }

    @Test
    void plainModeDoesNotRedrawInPlace() {
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err), false, clock::get);
        p.phase("links", 3);
        p.advance(3);
        p.finish();
        assertThat(err.toString()).doesNotContain("\r").contains("links: 3/3 (100%)");
    }

    @Test
    void interactiveModeRedrawsOneLineAndLimitsTheRate() {
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err), true, clock::get);
        p.phase("features", 1000);
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(1_000_000L); // 1 ms per item: one second in all
            p.advance(1);
        }
        p.finish();
        String s = err.toString();
        long draws = s.chars().filter(c -> c == '\r').count();
        assertThat(draws).isBetween(9L, 13L); // about ten a second, plus the start and the end
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1); // one line, ended once
        assertThat(s).contains("features", "[########################] 1000/1000 (100%)", "done in 1.0 s");
    }

    @Test
    void countsEveryStepFromManyThreads() {
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err), false, System::nanoTime);
        p.phase("verify", 10_000);
        IntStream.range(0, 10_000).parallel().forEach(i -> p.advance(1));
        p.finish();
        assertThat(err.toString()).contains("verify: 10000/10000 (100%)");
    }
}
