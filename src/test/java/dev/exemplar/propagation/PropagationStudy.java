package dev.exemplar.propagation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.json.Json;
import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fits {@link Confidence}'s model and step table on the development sets, from the labels {@link Simulation}
 * propagates when the first p% of the order is labelled with the truth:
 * {@code PropagationStudy fit DATASET...} or {@code PropagationStudy measure DATASET...}.
 * ({@code ./exemplar simulate} measures one set the same way.)
 */
public final class PropagationStudy {
    /** One propagated label of one dataset at one share labelled. */
    record Observation(String dataset, int percent, Simulation.Observation seen) {
        Observation rescored(double confidence) {
            Simulation.Observation s = seen;
            return new Observation(dataset, percent, new Simulation.Observation(s.linked(), s.share(), s.similarity(), s.cover(),
                    s.ahead(), confidence, s.right()));
        }
    }

    record Engine(Result result, Map<String, List<Pipeline.Candidate>> candidates) { }

    static final int[] PERCENTS = {5, 10, 20};

    public static void main(String[] args) throws IOException {
        List<Observation> all = new ArrayList<>();
        Map<String, Integer> unlabelled = new LinkedHashMap<>();
        for (int a = 1; a < args.length; a++) {
            Path dataset = Path.of(args[a]);
            String name = dataset.getFileName().toString();
            Engine e = engine(dataset);
            Map<String, String> truth = truth(dataset);
            unlabelled.put(name, e.result().order().size() - e.result().summarySize());
            for (Simulation.Outcome o : Simulation.run(e.result(), e.candidates(), truth::get, PERCENTS, 0.95)) {
                for (Simulation.Observation s : o.observations()) all.add(new Observation(name, o.percent(), s));
            }
        }
        if (args[0].equals("fit")) {
            double[] model = fit(all);
            System.out.println("fitted: " + java.util.Arrays.toString(model));
            Confidence raw = new Confidence(model, null);
            all = all.stream().map(o -> o.rescored(raw.score(o.seen().linked(), o.seen().share(), o.seen().similarity(),
                    o.seen().cover(), o.seen().ahead()))).toList();
            double[] table = calibrate(all, unlabelled.keySet());
            StringBuilder t = new StringBuilder();
            for (double v : table) t.append(String.format("%.3f, ", v));
            System.out.println("calibration: " + t);
            Confidence fitted = new Confidence(model, table);
            all = all.stream().map(o -> o.rescored(fitted.confidence(o.seen().linked(), o.seen().share(), o.seen().similarity(),
                    o.seen().cover(), o.seen().ahead()))).toList();
        }
        for (String d : unlabelled.keySet()) {
            for (int p : PERCENTS) {
                List<Observation> os = all.stream().filter(o -> o.dataset().equals(d) && o.percent() == p).toList();
                StringBuilder line = new StringBuilder(d + " " + p + "%:");
                for (double c : new double[] {0, 0.5, 0.8, 0.9}) {
                    List<Observation> at = os.stream().filter(o -> o.seen().confidence() >= c).toList();
                    long right = at.stream().filter(o -> o.seen().right()).count();
                    line.append(String.format(" c>=%.1f cov %.3f acc %.3f |", c, at.size() / (double) unlabelled.get(d),
                            at.isEmpty() ? Double.NaN : right / (double) at.size()));
                }
                System.out.println(line);
            }
        }
    }

    /** The engine's order, links and candidates for a dataset, computed once and kept beside the build. */
    static Engine engine(Path dataset) throws IOException {
        Path cache = Path.of("target", "study-" + dataset.getFileName() + ".json");
        ObjectMapper json = Json.MAPPER;
        if (Files.exists(cache)) return json.readValue(cache.toFile(), Engine.class);
        List<Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataset.resolve("images"))) {
            files.sorted().forEach(f -> items.add(new Item("images/" + f.getFileName(), () -> Files.readAllBytes(f))));
        }
        Pipeline.Run run = Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE);
        Engine e = new Engine(run.result(), run.candidates());
        json.writeValue(cache.toFile(), e);
        return e;
    }

    static Map<String, String> truth(Path dataset) throws IOException {
        Map<String, String> truth = new HashMap<>();
        List<String> lines = Files.readAllLines(dataset.resolve("truth.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            truth.put(f[0], f[2].isEmpty() ? f[1] : f[2]);
        }
        return truth;
    }

    /**
     * The step table: at each step of the score, the worst accuracy over the datasets among labels
     * scored at least that high, lowered where needed so the table never decreases.
     */
    static double[] calibrate(List<Observation> scored, java.util.Collection<String> datasets) {
        int steps = Confidence.STEPS;
        double[] table = new double[steps + 1];
        for (int j = 0; j <= steps; j++) {
            double t = j / (double) steps, worst = 1;
            for (String d : datasets) for (int p : PERCENTS) {
                List<Observation> at = scored.stream().filter(o -> o.dataset().equals(d) && o.percent() == p && o.seen().confidence() >= t).toList();
                if (at.size() < 20) continue; // too few to say anything
                worst = Math.min(worst, at.stream().filter(o -> o.seen().right()).count() / (double) at.size());
            }
            table[j] = j > 0 && worst == 1 && scored.stream().noneMatch(o -> o.seen().confidence() >= t) ? table[j - 1] : worst;
        }
        for (int j = steps - 1; j >= 0; j--) table[j] = Math.min(table[j], table[j + 1]);
        for (int j = 0; j <= steps; j++) table[j] = Math.floor(table[j] * 1000) / 1000;
        return table;
    }

    /** Logistic regression by Newton's method, a little ridge to keep it stable. */
    static double[] fit(List<Observation> os) {
        int d = Confidence.FEATURES;
        double[] w = new double[d];
        for (int iter = 0; iter < 50; iter++) {
            double[] g = new double[d];
            double[][] h = new double[d][d];
            for (Observation ob : os) {
                Simulation.Observation o = ob.seen();
                double[] f = Confidence.features(o.linked(), o.share(), o.similarity(), o.cover(), o.ahead());
                double z = 0;
                for (int i = 0; i < d; i++) z += w[i] * f[i];
                double p = 1 / (1 + Math.exp(-z));
                for (int i = 0; i < d; i++) {
                    g[i] += (p - (o.right() ? 1 : 0)) * f[i];
                    for (int j = 0; j < d; j++) h[i][j] += p * (1 - p) * f[i] * f[j];
                }
            }
            for (int i = 0; i < d; i++) { g[i] += 1e-3 * w[i]; h[i][i] += 1e-3; }
            org.ejml.simple.SimpleMatrix step = new org.ejml.simple.SimpleMatrix(h).solve(new org.ejml.simple.SimpleMatrix(d, 1, true, g));
            for (int i = 0; i < d; i++) w[i] -= step.get(i);
        }
        return w;
    }
}
