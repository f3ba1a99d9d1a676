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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Fits the confidence models on the development sets, from the labels propagated when the first p% of the
 * order is labelled with the truth ({@code ./exemplar simulate} measures one set the same way):
 * <ul>
 *   <li>{@code PropagationStudy fit DATASET...}: {@link SpreadConfidence}'s model and step table on all the sets;</li>
 *   <li>{@code PropagationStudy holdout DATASET...}: each set judged by a model and table fitted on the others;</li>
 *   <li>{@code PropagationStudy measure DATASET...}: each set judged by the fitted {@link SpreadConfidence};</li>
 *   <li>{@code PropagationStudy fit-vote DATASET...}: {@link Confidence}, the link vote's, on 5, 10 and 20%.</li>
 * </ul>
 */
public final class PropagationStudy {
    /** One spread label of one dataset at one share labelled: the item, whether a delegate, the model's inputs, whether right. */
    record Observation(String dataset, int percent, int item, boolean delegate, double[] features, boolean right) { }

    /** The items with a known label and those labelled per dataset and share, to judge the effort by. */
    record Counts(int items, int labelled) { }

    record Engine(Result result, Map<String, List<Pipeline.Candidate>> candidates, Pipeline.Neighbours neighbours) { }

    static final int[] PERCENTS = {5, 10, 20, 30};
    static final double TARGET = 0.95;

    public static void main(String[] args) throws IOException {
        List<String> datasets = new ArrayList<>();
        Map<String, Engine> engines = new LinkedHashMap<>();
        Map<String, Map<String, String>> truths = new HashMap<>();
        for (int a = 1; a < args.length; a++) {
            Path dataset = Path.of(args[a]);
            String name = dataset.getFileName().toString();
            datasets.add(name);
            engines.put(name, engine(dataset));
            truths.put(name, truth(dataset));
        }
        if (args[0].equals("fit-vote")) {
            fitVote(engines, truths);
            return;
        }
        Map<String, Counts> counts = new HashMap<>();
        List<Observation> all = new ArrayList<>();
        // -Dstudy.queues=summary,adaptive: labels placed by each queue count as sets of their own ("rooms-dev/adaptive")
        List<QueueOrder> queues = Stream.of(System.getProperty("study.queues", "summary").split(","))
                .map(q -> QueueOrder.valueOf(q.trim().toUpperCase(Locale.ROOT))).toList();
        List<String> sets = new ArrayList<>();
        for (String d : datasets) {
            for (QueueOrder q : queues) {
                String set = q == QueueOrder.SUMMARY ? d : d + "/" + q.name().toLowerCase(Locale.ROOT);
                sets.add(set);
                for (int p : PERCENTS) all.addAll(observe(set, p, engines.get(d), truths.get(d), counts, q));
            }
        }
        datasets.clear();
        datasets.addAll(sets);
        switch (args[0]) {
            case "fit" -> {
                SpreadConfidence fitted = fitted(all, datasets);
                judgeAll(all, datasets, fitted, counts);
            }
            case "holdout" -> {
                for (String held : datasets) {
                    // a dataset's labels by every queue are held out together
                    String image = held.split("/")[0];
                    List<String> others = datasets.stream().filter(d -> !d.split("/")[0].equals(image)).toList();
                    System.out.println("fitted on " + others + ", judged on " + held + ":");
                    SpreadConfidence fitted = fitted(all.stream().filter(o -> others.contains(o.dataset())).toList(), others);
                    judgeAll(all, List.of(held), fitted, counts);
                }
            }
            case "measure" -> judgeAll(all, datasets, SpreadConfidence.FITTED, counts);
            default -> throw new IllegalArgumentException("fit, holdout, measure or fit-vote, not " + args[0]);
        }
    }

    /** The spread labels of one dataset with the first p% of its queue labelled. */
    static List<Observation> observe(String dataset, int percent, Engine e, Map<String, String> truth, Map<String, Counts> counts,
                                     QueueOrder queue) {
        Simulation.Labelling l = Simulation.labelling(e.result(), e.candidates(), e.neighbours(), truth::get, percent, queue);
        Pipeline.Neighbours g = e.neighbours();
        GraphSpreading.Evidence ev = GraphSpreading.evidence(g.degree(), g.ids(), g.similarities(), l.known());
        counts.put(dataset + " " + percent, new Counts(l.items(), l.labelled()));
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < l.known().length; i++) {
            String right = truth.get(e.result().order().get(i));
            if (right == null || right.isEmpty() || l.known()[i] >= 0 || ev.label()[i] < 0) continue;
            out.add(new Observation(dataset, percent, i, i < e.result().summarySize(), SpreadConfidence.features(ev, i, l.linkVote()[i]),
                    l.names().get(ev.label()[i]).equals(right)));
        }
        return out;
    }

    /** The model fitted on these observations and its step table, printed as they go into the code. */
    static SpreadConfidence fitted(List<Observation> os, Collection<String> datasets) {
        List<double[]> features = os.stream().map(Observation::features).toList();
        List<Boolean> right = os.stream().map(Observation::right).toList();
        double[] model = fit(features, right);
        SpreadConfidence raw = new SpreadConfidence(model, null);
        double[] scores = os.stream().mapToDouble(o -> raw.score(o.features())).toArray();
        double[] table = calibrate(os, scores, datasets);
        StringBuilder m = new StringBuilder(), t = new StringBuilder();
        for (double w : model) m.append(String.format(Locale.ROOT, "%.4f, ", w));
        for (double v : table) t.append(String.format(Locale.ROOT, "%.3f, ", v));
        System.out.println("  model: " + m);
        System.out.println("  calibration: " + t);
        return new SpreadConfidence(model, table);
    }

    /** Per dataset and share: the effort, the recommended confidence, what is trusted and whether the confidence is calibrated. */
    static void judgeAll(List<Observation> all, List<String> datasets, SpreadConfidence confidence, Map<String, Counts> counts) {
        for (String d : datasets) {
            for (int p : PERCENTS) {
                List<Simulation.Observation> seen = all.stream().filter(o -> o.dataset().equals(d) && o.percent() == p)
                        .map(o -> new Simulation.Observation(o.item(), o.delegate(), confidence.calibrated(confidence.score(o.features())),
                                o.right())).toList();
                Counts c = counts.get(d + " " + p);
                Simulation.Outcome out = Simulation.judge(p, c.items(), c.labelled(), seen, TARGET);
                // the largest shortfall of accuracy below the confidence, where enough labels say so
                Simulation.Point worst = null;
                for (Simulation.Point at : out.curve()) {
                    if (at.labels() < Simulation.MIN_LABELS_TO_JUDGE) continue;
                    if (worst == null || at.confidence() - at.accuracy() > worst.confidence() - worst.accuracy()) worst = at;
                }
                System.out.printf(Locale.ROOT, "  %-12s %2d%%: effort %.3f trusted from %s (%d delegates, %d constituents), calibrated %s"
                                + " (worst: %s)%n", d, p, out.effort(), Double.isNaN(out.recommendedConfidence()) ? "-"
                                : String.format(Locale.ROOT, "%.3f", out.recommendedConfidence()), out.trustedDelegates(),
                        out.trustedConstituents(), out.calibrated(), worst == null ? "-" : String.format(Locale.ROOT,
                                "%d labels at >= %.3f, %.3f right", worst.labels(), worst.confidence(), worst.accuracy()));
            }
        }
    }

    /** The engine's order, links, candidates and graph for a dataset, computed once and kept beside the build. */
    static Engine engine(Path dataset) throws IOException {
        Path cache = Path.of("target", "study-" + dataset.getFileName() + ".json");
        ObjectMapper json = Json.MAPPER;
        if (Files.exists(cache)) {
            Engine e = json.readValue(cache.toFile(), Engine.class);
            if (e.neighbours() != null) return e;
        }
        List<Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataset.resolve("images"))) {
            files.sorted().forEach(f -> items.add(new Item("images/" + f.getFileName(), () -> Files.readAllBytes(f))));
        }
        Pipeline.Run run = Pipeline.run(items, Pipeline.Options.defaults(), Progress.NONE);
        Engine e = new Engine(run.result(), run.candidates(), run.neighbours());
        json.writeValue(cache.toFile(), e);
        return e;
    }

    /** The class where the set has classes, else the group (rooms: the scene), as {@code ./exemplar simulate} is run on them. */
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
     * The step table: at each step of the score, the worst accuracy over the datasets and shares among labels
     * scored at least that high, lowered where needed so the table never decreases.
     */
    static double[] calibrate(List<Observation> os, double[] scores, Collection<String> datasets) {
        int steps = SpreadConfidence.STEPS;
        double[] table = new double[steps + 1];
        for (int j = 0; j <= steps; j++) {
            double t = j / (double) steps, worst = 1;
            boolean any = false;
            for (String d : datasets) {
                for (int p : PERCENTS) {
                    int n = 0, right = 0;
                    for (int k = 0; k < os.size(); k++) {
                        Observation o = os.get(k);
                        if (!o.dataset().equals(d) || o.percent() != p || scores[k] < t) continue;
                        n++;
                        if (o.right()) right++;
                    }
                    any |= n > 0;
                    // as if one more of them had been wrong: the table then holds on a sample that differs by a label
                    if (n >= Simulation.MIN_LABELS_TO_JUDGE) worst = Math.min(worst, (right - 1) / (double) n);
                }
            }
            table[j] = j > 0 && worst == 1 && !any ? table[j - 1] : worst;
        }
        for (int j = steps - 1; j >= 0; j--) table[j] = Math.min(table[j], table[j + 1]);
        for (int j = 0; j <= steps; j++) table[j] = Math.floor(table[j] * 1000) / 1000;
        return table;
    }

    /** Logistic regression by Newton's method, a little ridge to keep it stable. */
    static double[] fit(List<double[]> features, List<Boolean> right) {
        int d = features.get(0).length;
        double[] w = new double[d];
        for (int iter = 0; iter < 50; iter++) {
            double[] g = new double[d];
            double[][] h = new double[d][d];
            for (int k = 0; k < features.size(); k++) {
                double[] f = features.get(k);
                double z = 0;
                for (int i = 0; i < d; i++) z += w[i] * f[i];
                double p = 1 / (1 + Math.exp(-z));
                for (int i = 0; i < d; i++) {
                    g[i] += (p - (right.get(k) ? 1 : 0)) * f[i];
                    for (int j = 0; j < d; j++) h[i][j] += p * (1 - p) * f[i] * f[j];
                }
            }
            for (int i = 0; i < d; i++) { g[i] += 1e-3 * w[i]; h[i][i] += 1e-3; }
            org.ejml.simple.SimpleMatrix step = new org.ejml.simple.SimpleMatrix(h).solve(new org.ejml.simple.SimpleMatrix(d, 1, true, g));
            for (int i = 0; i < d; i++) w[i] -= step.get(i);
        }
        return w;
    }

    /**
     * The link vote's {@link Confidence} as it was fitted: each constituent's vote from its delegates with the first
     * 5, 10 and 20% of the queue labelled, the model on all of them, the table the worst of the sets at each step.
     */
    static void fitVote(Map<String, Engine> engines, Map<String, Map<String, String>> truths) {
        List<Observation> all = new ArrayList<>();
        for (var entry : engines.entrySet()) {
            String d = entry.getKey();
            Engine e = entry.getValue();
            Map<String, String> truth = truths.get(d);
            Map<String, Long> ids = new HashMap<>();
            List<String> order = e.result().order();
            for (int i = 0; i < order.size(); i++) ids.put(order.get(i), (long) i);
            for (int p : new int[] {5, 10, 20}) {
                int want = (int) Math.ceil(order.size() * p / 100.0), i = 0;
                Map<Long, List<Set<String>>> labels = new HashMap<>();
                for (; i < order.size() && labels.size() < want; i++) labels.put((long) i, List.of(Set.of(truth.get(order.get(i)))));
                for (int c = Math.max(i, e.result().summarySize()); c < order.size(); c++) {
                    String item = order.get(c);
                    List<LabelVote.Source> sources = Simulation.sources(e.result().links().getOrDefault(item, List.of()),
                            e.candidates().getOrDefault(item, List.of()), ids);
                    Optional<LabelVote.Proposal> v = LabelVote.propose(sources, labels, false);
                    if (v.isEmpty()) continue;
                    double best = 0, cover = 0;
                    for (LabelVote.Source s : sources) {
                        if (!labels.containsKey(s.delegate())) continue;
                        if (v.get().linked() == s.linkWeight() > 0) best = Math.max(best, s.similarity());
                        cover += s.linkWeight();
                    }
                    int ahead = 0;
                    for (LabelVote.Source s : sources) if (!labels.containsKey(s.delegate()) && s.similarity() > best) ahead++;
                    String value = v.get().values().get(0);
                    all.add(new Observation(d, p, c, false, Confidence.features(v.get().linked(), v.get().shares().get(value), best, cover, ahead),
                            value.equals(truth.get(item))));
                }
            }
        }
        double[] model = fit(all.stream().map(Observation::features).toList(), all.stream().map(Observation::right).toList());
        Confidence raw = new Confidence(model, null);
        double[] scores = all.stream().mapToDouble(o -> raw.logistic(o.features())).toArray();
        System.out.println("vote model: " + java.util.Arrays.toString(model));
        StringBuilder t = new StringBuilder();
        for (double v : calibrate(all, scores, engines.keySet())) t.append(String.format(Locale.ROOT, "%.3f, ", v));
        System.out.println("vote calibration: " + t);
    }
}
