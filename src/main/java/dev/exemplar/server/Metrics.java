package dev.exemplar.server;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counts and latencies per route, in Prometheus' text format. */
final class Metrics {
    private record Key(String route, int status) { }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, double[]> latency = new ConcurrentHashMap<>(); // {sum seconds, count}

    void record(String route, int status, float millis) {
        requests.computeIfAbsent(new Key(route, status), k -> new LongAdder()).increment();
        latency.compute(route, (r, v) -> {
            double[] a = v == null ? new double[2] : v;
            a[0] += millis / 1000.0;
            a[1] += 1;
            return a;
        });
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP exemplar_http_requests_total Requests served, by route and status.\n");
        out.append("# TYPE exemplar_http_requests_total counter\n");
        requests.forEach((k, v) -> out.append(String.format("exemplar_http_requests_total{route=\"%s\",status=\"%d\"} %d%n", k.route(), k.status(), v.sum())));
        out.append("# HELP exemplar_http_request_seconds Time to answer, by route.\n");
        out.append("# TYPE exemplar_http_request_seconds summary\n");
        latency.forEach((route, v) -> {
            out.append(String.format(Locale.ROOT, "exemplar_http_request_seconds_sum{route=\"%s\"} %.6f%n", route, v[0]));
            out.append(String.format(Locale.ROOT, "exemplar_http_request_seconds_count{route=\"%s\"} %d%n", route, (long) v[1]));
        });
        return out.toString();
    }
}
