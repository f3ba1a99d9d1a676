package dev.exemplar.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** From item features to the result: order, summary size, links and duplicate groups. */
public final class Summarizer {
    public record Options(String summarySize, int maxDelegates, int neighbours, double floor) {
        public static Options defaults() {
            return new Options("auto", 3, 20, 0.0);
        }
    }

    /** The result and what the report shows beside it. */
    public record Run(Result result, double[] gains, String sizeReason, Map<String, Long> millis) { }

    private Summarizer() { }

    public static Run run(List<String> names, float[][] x, List<Result.ItemError> errors, Options o) {
        Map<String, Long> ms = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        NeighbourGraph graph = NeighbourGraph.exact(x, o.neighbours());
        FacilityLocation.Ordering ordering = FacilityLocation.order(graph, o.floor());
        long t1 = System.nanoTime();
        ms.put("order", (t1 - t0) / 1_000_000);
        int[] order = ordering.order();
        SummarySize.Choice size = SummarySize.parse(o.summarySize(), names.size(), ordering.gains());
        Links.Table links = Links.build(x, order, size.size(), o.maxDelegates());
        long t2 = System.nanoTime();
        ms.put("links", (t2 - t1) / 1_000_000);

        List<String> orderNames = new ArrayList<>(order.length);
        for (int i : order) orderNames.add(names.get(i));
        Map<String, List<Result.Link>> linkMap = new LinkedHashMap<>();
        for (int r = size.size(); r < order.length; r++) {
            int c = order[r];
            List<Result.Link> l = new ArrayList<>();
            for (int t = 0; t < links.delegates()[c].length; t++) {
                l.add(new Result.Link(names.get(links.delegates()[c][t]), round(links.weights()[c][t])));
            }
            linkMap.put(names.get(c), l);
        }
        Result result = new Result(orderNames, size.size(), linkMap, List.of(), errors);
        return new Run(result, ordering.gains(), size.reason(), ms);
    }

    private static double round(double w) {
        return Math.round(w * 10000) / 10000.0;
    }
}
