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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Propagation on a development set as a labelling team would meet it: the first p% of the order
 * labelled with the truth, every constituent given the vote of its delegates. Measures coverage
 * and accuracy by confidence, and fits {@link Confidence}'s model:
 * {@code PropagationStudy fit DATASET...} or {@code PropagationStudy measure DATASET...}.
 */
public final class PropagationStudy {
    /** One propagated label: what the confidence model sees, and whether it was right. */
    record Observation(String dataset, int percent, boolean linked, double share, double similarity, double cover, int ahead,
                       double confidence, boolean right) { }

    record Engine(Result result, Map<String, List<Pipeline.Candidate>> candidates) { }

    static final int[] PERCENTS = {5, 10, 20};

    public static void main(String[] args) throws IOException {
        List<Observation> all = new ArrayList<>();
        Map<String, Integer> constituents = new LinkedHashMap<>();
        for (int a = 1; a < args.length; a++) {
            Path dataset = Path.of(args[a]);
            Engine e = engine(dataset);
            Map<String, String> truth = truth(dataset);
            constituents.put(dataset.getFileName().toString(), e.result().order().size() - e.result().summarySize());
            for (int p : PERCENTS) all.addAll(observe(dataset.getFileName().toString(), p, e, truth));
        }
        if (args[0].equals("fit")) {
            double[] model = fit(all);
            System.out.println("fitted: " + java.util.Arrays.toString(model));
            Confidence raw = new Confidence(model, null);
            all = all.stream().map(o -> new Observation(o.dataset(), o.percent(), o.linked(), o.share(), o.similarity(), o.cover(), o.ahead(),
                    raw.score(o.linked(), o.share(), o.similarity(), o.cover(), o.ahead()), o.right())).toList();
            double[] table = calibrate(all, constituents.keySet());
            StringBuilder t = new StringBuilder();
            for (double v : table) t.append(String.format("%.3f, ", v));
            System.out.println("calibration: " + t);
            Confidence fitted = new Confidence(model, table);
            all = all.stream().map(o -> new Observation(o.dataset(), o.percent(), o.linked(), o.share(), o.similarity(), o.cover(), o.ahead(),
                    fitted.confidence(o.linked(), o.share(), o.similarity(), o.cover(), o.ahead()), o.right())).toList();
        }
        for (String d : constituents.keySet()) {
            for (int p : PERCENTS) {
                List<Observation> os = all.stream().filter(o -> o.dataset().equals(d) && o.percent() == p).toList();
                StringBuilder line = new StringBuilder(d + " " + p + "%:");
                for (double c : new double[] {0, 0.5, 0.8, 0.9}) {
                    List<Observation> at = os.stream().filter(o -> o.confidence() >= c).toList();
                    long right = at.stream().filter(Observation::right).count();
                    line.append(String.format(" c>=%.1f cov %.3f acc %.3f |", c, at.size() / (double) constituents.get(d),
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

    /** The first p% of the order labelled with the truth; every constituent's vote. */
    static List<Observation> observe(String name, int percent, Engine e, Map<String, String> truth) {
        Result r = e.result();
        int k = (int) Math.ceil(r.order().size() * percent / 100.0);
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < r.order().size(); i++) ids.put(r.order().get(i), (long) i);
        Map<Long, List<Set<String>>> labels = new HashMap<>();
        for (int i = 0; i < k; i++) labels.put((long) i, List.of(Set.of(truth.get(r.order().get(i)))));
        List<Observation> out = new ArrayList<>();
        for (int i = Math.max(k, r.summarySize()); i < r.order().size(); i++) {
            String c = r.order().get(i);
            Optional<LabelVote.Proposal> p = LabelVote.propose(sources(r.links().get(c), e.candidates().get(c), ids), labels, false);
            if (p.isEmpty()) continue;
            LabelVote.Proposal v = p.get();
            double best = 0, cover = 0;
            List<LabelVote.Source> ss = sources(r.links().get(c), e.candidates().get(c), ids);
            for (LabelVote.Source s : ss) {
                if (!labels.containsKey(s.delegate())) continue;
                if (v.linked() == s.linkWeight() > 0) best = Math.max(best, s.similarity());
                cover += s.linkWeight();
            }
            int ahead = 0;
            for (LabelVote.Source s : ss) if (!labels.containsKey(s.delegate()) && s.similarity() > best) ahead++;
            out.add(new Observation(name, percent, v.linked(), v.shares().get(v.values().get(0)), best, cover, ahead, v.confidence(),
                    v.values().get(0).equals(truth.get(c))));
        }
        return out;
    }

    static List<LabelVote.Source> sources(List<Result.Link> links, List<Pipeline.Candidate> near, Map<String, Long> ids) {
        Map<String, Double> weight = new HashMap<>();
        for (Result.Link l : links) weight.put(l.delegate(), l.weight());
        List<LabelVote.Source> out = new ArrayList<>();
        for (Pipeline.Candidate c : near) out.add(new LabelVote.Source(ids.get(c.delegate()), weight.getOrDefault(c.delegate(), 0.0), c.similarity()));
        return out;
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
                List<Observation> at = scored.stream().filter(o -> o.dataset().equals(d) && o.percent() == p && o.confidence() >= t).toList();
                if (at.size() < 20) continue; // too few to say anything
                worst = Math.min(worst, at.stream().filter(Observation::right).count() / (double) at.size());
            }
            table[j] = j > 0 && worst == 1 && scored.stream().noneMatch(o -> o.confidence() >= t) ? table[j - 1] : worst;
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
            for (Observation o : os) {
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
