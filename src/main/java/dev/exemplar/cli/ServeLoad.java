package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The requests Label Studio makes of a backend during a sync, as a flood: {@code clients} threads each calling
 * /predict with a page of tasks, one after the other, and {@code webhooks} events posted at an even rate over
 * {@code seconds}, each carrying its own number so the store can be checked to hold it exactly once.
 */
final class ServeLoad {
    /** An action Label Studio never sends: the backend queues it, acknowledges it and leaves it alone. */
    static final String WEBHOOK_ACTION = "EXEMPLAR_BENCH";
    /** Tasks per /predict call: a page of the Data Manager's "retrieve predictions". */
    static final int PREDICT_TASKS = 10;

    /** Milliseconds of each answered request; its own lock, since many threads add. */
    static final class Latencies {
        private double[] ms = new double[1024];
        private int n;

        synchronized void add(double v) {
            if (n == ms.length) ms = Arrays.copyOf(ms, 2 * n);
            ms[n++] = v;
        }

        synchronized int count() {
            return n;
        }

        /** p50, p99 and max, in ms, under the given name prefix; nothing when there was no request. */
        synchronized void report(String name, Map<String, Object> figures) {
            if (n == 0) return;
            double[] s = Arrays.copyOf(ms, n);
            Arrays.sort(s);
            figures.put(name + "_p50_ms", BenchCommand.round(s[n / 2], 2));
            figures.put(name + "_p99_ms", BenchCommand.round(s[(int) Math.ceil(n * 0.99) - 1], 2));
            figures.put(name + "_max_ms", BenchCommand.round(s[n - 1], 2));
        }
    }

    private final String base;
    private final long project;
    /** One client for the /predict callers and one for the webhooks, as they would be two programs: neither queues behind the other's connections. */
    private final HttpClient http, webhookHttp;
    final Latencies predict = new Latencies(), webhook = new Latencies();
    private final AtomicInteger predictBusy = new AtomicInteger(), predictFailed = new AtomicInteger();
    private final AtomicInteger webhooksSent = new AtomicInteger(), webhooksRefused = new AtomicInteger(), webhooksFailed = new AtomicInteger();
    /** The event ids the backend answered, by the webhook's own number. */
    final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();

    ServeLoad(int port, long project) {
        this.base = "http://127.0.0.1:" + port;
        this.project = project;
        this.http = client();
        this.webhookHttp = client();
    }

    /** Runs {@code clients} /predict callers until {@code stop} says so. */
    CompletableFuture<Void> predictClients(int clients, BooleanSupplier stop) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(clients, 1), r -> daemon(r, "bench-predict"));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            all.add(CompletableFuture.runAsync(() -> {
                while (!stop.getAsBoolean()) callPredict();
            }, threads));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> threads.shutdown());
    }

    private void callPredict() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("project", project + "." + System.currentTimeMillis())
                .put("label_config", "<View><Image name=\"image\" value=\"$image\"/></View>");
        var tasks = body.putArray("tasks");
        for (int i = 0; i < PREDICT_TASKS; i++) {
            tasks.addObject().put("id", ThreadLocalRandom.current().nextLong(1, 1000)).putObject("data").put("image", "/data/x.jpg");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/predict")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long t = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            predict.add((System.nanoTime() - t) / 1e6);
            if (r.statusCode() == 503) {
                predictBusy.incrementAndGet();
                // as a polite client does: wait as long as the backend asks before the next call
                long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
                TimeUnit.SECONDS.sleep(Math.min(seconds, 5));
            } else if (r.statusCode() != 200 || Json.MAPPER.readTree(r.body()).path("results").size() != PREDICT_TASKS) {
                predictFailed.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            predictFailed.incrementAndGet();
        }
    }

    /** Posts {@code count} webhook events at an even rate over {@code seconds}, each without waiting for the answers before. */
    CompletableFuture<Void> webhooks(int count, double seconds) {
        return CompletableFuture.runAsync(() -> {
            long start = System.nanoTime();
            long step = count == 0 ? 0 : (long) (seconds * 1e9 / count);
            List<CompletableFuture<?>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long wait = start + i * step - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                answers.add(postWebhook(i));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        }, Executors.newSingleThreadExecutor(r -> daemon(r, "bench-webhooks")));
    }

    private CompletableFuture<?> postWebhook(int number) {
        String body = Json.MAPPER.createObjectNode().put("action", WEBHOOK_ACTION).put("bench_event", number)
                .set("project", Json.MAPPER.createObjectNode().put("id", project)).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/webhook")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        webhooksSent.incrementAndGet();
        long t = System.nanoTime();
        return webhookHttp.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) {
                webhooksFailed.incrementAndGet();
                return null;
            }
            webhook.add((System.nanoTime() - t) / 1e6);
            if (r.statusCode() == 200) {
                try {
                    acknowledged.put(number, Json.MAPPER.readTree(r.body()).path("event").asLong());
                } catch (Exception x) {
                    webhooksFailed.incrementAndGet();
                }
            } else if (r.statusCode() == 429 || r.statusCode() == 503) {
                webhooksRefused.incrementAndGet();
            } else {
                webhooksFailed.incrementAndGet();
            }
            return null;
        });
    }

    /**
     * The figures of the load, with {@code stored}: the numbers of the bench's events the store holds, one entry
     * per stored event (so a number twice means an event stored twice).
     */
    void report(Map<String, Object> figures, List<Integer> stored) {
        predict.report("predict", figures);
        figures.put("predict_requests", predict.count());
        figures.put("predict_busy", predictBusy.get());
        figures.put("predict_failed", predictFailed.get());
        webhook.report("webhook", figures);
        figures.put("webhooks_sent", webhooksSent.get());
        figures.put("webhooks_acknowledged", acknowledged.size());
        figures.put("webhooks_refused", webhooksRefused.get());
        figures.put("webhooks_failed", webhooksFailed.get());
        figures.put("webhooks_stored", stored.size());
        Set<Integer> distinct = Set.copyOf(stored);
        figures.put("webhooks_stored_twice", stored.size() - distinct.size());
        figures.put("webhooks_acknowledged_not_stored", acknowledged.keySet().stream().filter(n -> !distinct.contains(n)).count());
    }

    /** The bench's numbers among stored event payloads. */
    static List<Integer> benchNumbers(List<String> payloads) {
        List<Integer> out = new ArrayList<>();
        for (String p : payloads) {
            try {
                JsonNode n = Json.MAPPER.readTree(p);
                if (WEBHOOK_ACTION.equals(n.path("action").asText()) && n.has("bench_event")) out.add(n.get("bench_event").asInt());
            } catch (Exception e) {
                // not one of the bench's events
            }
        }
        return out;
    }

    /** With threads of its own: the clients' waiting must not take the common pool from the engine. */
    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newCachedThreadPool(r -> daemon(r, "bench-http"))).build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
