package dev.exemplar.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.propagation.Simulation;
import dev.exemplar.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Opens a simulated labelling's page in headless Chromium: the verdict, the table and a drawn chart per share. */
class SimulationReportBrowserTest {
    private static Simulation.Outcome outcome(int percent, double recommended, double effort) {
        List<Simulation.Point> curve = List.of(new Simulation.Point(0.2, 80, 0.8, 0.7), new Simulation.Point(0.6, 50, 0.5, 0.9),
                new Simulation.Point(0.9, 30, 0.3, 0.97));
        boolean met = !Double.isNaN(recommended);
        return new Simulation.Outcome(percent, 100, percent, List.of(), curve, recommended, met ? 0.3 : 0, met ? 0.97 : Double.NaN,
                met ? 10 : 0, met ? 17 : 0, effort, true);
    }

    @Test
    void drawsAccuracyAndCoverageAgainstConfidenceForEveryShare(@TempDir Path dir) throws Exception {
        Chromium.require();
        SimulationReport.write("Simulated <rooms>", List.of(outcome(10, 0.9, 0.73), outcome(20, Double.NaN, 1.0)), 0.95, dir);

        try (Chromium browser = Chromium.launch(1280, 900)) {
            browser.open(dir.resolve("index.html").toUri().toString());
            assertThat(browser.text("document.title")).isEqualTo("Simulated <rooms>");
            assertThat(browser.text("document.getElementById('verdict').textContent"))
                    .contains("label the first 10% of the queue").contains("from confidence 0.900").contains("73.0%");
            assertThat(browser.eval("document.querySelectorAll('#efforts tbody tr').length").asInt()).isEqualTo(2);
            assertThat(browser.text("document.querySelector('#efforts tbody tr').textContent")).contains("10 / 17");
            for (int p : new int[] {10, 20}) {
                // each line is drawn with a real extent, inside its chart
                JsonNode box = browser.eval("(() => { const b = document.querySelector('#chart-" + p
                        + " .accuracy').getBBox(); return [b.width, b.height]; })()");
                assertThat(box.get(0).asDouble()).as("chart %d", p).isGreaterThan(100);
                assertThat(browser.eval("document.querySelector('#chart-" + p + " .coverage').getBBox().height").asDouble())
                        .isGreaterThan(50);
            }
            // the target is met at 10 %, so its chart marks the recommended confidence; at 20 % it is not
            assertThat(browser.eval("document.querySelectorAll('#chart-10 .recommended').length").asInt()).isEqualTo(1);
            assertThat(browser.eval("document.querySelectorAll('#chart-20 .recommended').length").asInt()).isZero();
            assertThat(browser.pageErrors()).isEmpty();
        }
    }
}
