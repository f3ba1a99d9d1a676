package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioCalls;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.WebhookAction;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.store.EventQueue;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.QueueStore;
import dev.exemplar.store.Store;
import dev.exemplar.store.SyncPhase;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Runs project syncs in the background, one at a time, so /setup and webhooks only ever schedule
 * work. A project asked for again while it syncs is synced once more afterwards, never twice at once.
 * Task events come from the durable queue; a sync after TASKS_CREATED computes features only for
 * the new tasks, since the others are kept by content hash.
 *
 * <p>Threads: the service owns three single threads and confines its work to them. {@code worker}
 * runs the syncs; {@code events} handles queued events and all label propagation (which is why the
 * review's actions run there too, {@link #onEventsThread}); {@code writer} writes propagated
 * predictions to Label Studio, so events never wait on Label Studio. Its settings are fixed before
 * the threads start ({@link #start}); the state they share is in concurrent collections and atomics.
 */
public final class SyncService implements AutoCloseable {
    /** How to reach Label Studio: the configured URL and key win over what /setup sends. */
    public record Connection(String url, String apiKey) {
        /** Never print the key. */
        @Override
        public String toString() {
            return "Connection[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "none" : "****") + "]";
        }
    }

    /**
     * What the service runs with, fixed for its life: Label Studio's configured address, the model
     * version of Exemplar's predictions, the engine's defaults (a project's extra_params override
     * them), the annotators of projects whose extra_params name none, the hosts besides Label
     * Studio's own that images may be downloaded from, the size of the largest image fetched, and the threads
     * a sync's engine work runs on.
     */
    public record Options(Connection connection, String modelVersion, Pipeline.Options defaults,
                          List<String> defaultAnnotators, Set<String> imageHosts, String webhookSecret, long maxImageBytes,
                          int engineThreads, QueueOrder queue) {
        /**
         * All cores but one: the one left answers Label Studio while a project syncs. With every core on the
         * engine, 50 clients calling /predict during a sync of 310 photographs met a p99 of 219 ms on /predict and
         * 368 ms on /webhook on 2 cores; with one left, 195 ms and 304 ms (medians of runs alternated), and the
         * sync took 27.5 s against 25.0 s.
         */
        public static final int DEFAULT_ENGINE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

        public Options {
            if (engineThreads < 1) throw new IllegalArgumentException("the engine needs at least 1 thread, not " + engineThreads);
            if (maxImageBytes < 1 || maxImageBytes > FetchPolicy.LARGEST_MAX_BYTES) {
                throw new IllegalArgumentException("the image size limit must be from 1 to " + FetchPolicy.LARGEST_MAX_BYTES
                        + " bytes, not " + maxImageBytes);
            }
            defaultAnnotators = List.copyOf(defaultAnnotators);
            imageHosts = Set.copyOf(imageHosts);
            webhookSecret = webhookSecret == null ? "" : webhookSecret;
            queue = queue == null ? QueueOrder.SUMMARY : queue;
        }

        public Options(Connection connection, String modelVersion, Pipeline.Options defaults,
                       List<String> defaultAnnotators, Set<String> imageHosts) {
            this(connection, modelVersion, defaults, defaultAnnotators, imageHosts, "", FetchPolicy.DEFAULT_MAX_BYTES, DEFAULT_ENGINE_THREADS,
                    QueueOrder.SUMMARY);
        }

        public Options(Connection connection, String modelVersion, Pipeline.Options defaults) {
            this(connection, modelVersion, defaults, List.of(), Set.of());
        }

        /** With these default annotators (comma-separated: the plugin's "annotators" setting). */
        public Options withDefaultAnnotators(String commaSeparated) {
            return new Options(connection, modelVersion, defaults, split(commaSeparated), imageHosts, webhookSecret, maxImageBytes, engineThreads, queue);
        }

        /** With these hosts besides Label Studio's own that images may be downloaded from (comma-separated). */
        public Options withAllowedImageHosts(String commaSeparated) {
            return new Options(connection, modelVersion, defaults, defaultAnnotators, Set.copyOf(split(commaSeparated)), webhookSecret, maxImageBytes, engineThreads, queue);
        }

        /** With the secret /webhook requires: each sync puts it on the webhook Label Studio made for this backend. */
        public Options withWebhookSecret(String secret) {
            return new Options(connection, modelVersion, defaults, defaultAnnotators, imageHosts, secret, maxImageBytes, engineThreads, queue);
        }

        /** With this limit on the bytes of an image file or download: larger ones are refused unread. */
        public Options withMaxImageBytes(long bytes) {
            return new Options(connection, modelVersion, defaults, defaultAnnotators, imageHosts, webhookSecret, bytes, engineThreads, queue);
        }

        /** With the engine's work of a sync on this many threads. */
        public Options withEngineThreads(int threads) {
            return new Options(connection, modelVersion, defaults, defaultAnnotators, imageHosts, webhookSecret, maxImageBytes, threads, queue);
        }

        /** With this default order of the summary queue (a project's extra_params "queue" overrides it). */
        public Options withQueue(QueueOrder order) {
            return new Options(connection, modelVersion, defaults, defaultAnnotators, imageHosts, webhookSecret, maxImageBytes, engineThreads, order);
        }

        /** Never print the secret. */
        @Override
        public String toString() {
            return "Options[connection=" + connection + ", modelVersion=" + modelVersion + ", defaults=" + defaults
                    + ", defaultAnnotators=" + defaultAnnotators + ", imageHosts=" + imageHosts + ", maxImageBytes=" + maxImageBytes + ", engineThreads=" + engineThreads + ", queue=" + queue
                    + ", webhookSecret=" + (webhookSecret.isEmpty() ? "none" : "****") + "]";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    private final Store store;
    private final ImageLoader loader;
    private final Options options;
    private final Map<Long, Connection> fromSetup = new ConcurrentHashMap<>();
    private final Map<Connection, LabelStudioClient> clients = new ConcurrentHashMap<>();
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    /**
     * Why each project's last sync failed, kept here as well as in the store: a full disk fails
     * the store's record of the error too, and the status must still say it.
     */
    private final Map<Long, String> lastErrors = new ConcurrentHashMap<>();
    /** Projects being taken out: no sync, event or /setup of theirs does anything meanwhile. */
    private final Set<Long> removing = ConcurrentHashMap.newKeySet();
    private final FeatureCache cache = new FeatureCache(256L << 20);
    /** The project whose sync runs now, or -1. */
    private final AtomicLong syncing = new AtomicLong(-1);
    private final AtomicInteger decoded = new AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "exemplar-sync"));
    /** Where a sync's engine work runs: {@link Options#engineThreads} threads. */
    private final ForkJoinPool engine;
    private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "exemplar-events"));
    /** Writes propagated predictions to Label Studio, apart from the events so those never wait on Label Studio. */
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "exemplar-writer"));
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile long firstChange, lastChange;
    private final LabelSpreading spreading;
    private final LabelStudioCalls calls = new LabelStudioCalls();
    /** When Label Studio failed a propagation write: the next try waits, doubling up to a limit. Used on the writer thread. */
    private final Map<Long, Long> flushNotBefore = new ConcurrentHashMap<>();
    private final Map<Long, Long> flushDelay = new ConcurrentHashMap<>();
    static final long FIRST_RETRY_MS = 500, MAX_RETRY_MS = 15_000;
    /**
     * Changes are written once no new one came for {@code QUIET_MS}, or {@code MAX_WAIT_MS} after the
     * first: a burst of labels that touch one constituent several times writes it once.
     */
    static final long QUIET_MS = 300, MAX_WAIT_MS = 1_500;

    /** After the queue itself failed (a full disk): polls wait, and the log says it once in a while, not at every poll. */
    private final Backoff queueBackoff;
    /** Events claimed when the store failed, by the error: put back in the queue at the next drain. */
    private final Map<Long, String> stuck = new ConcurrentHashMap<>();
    /** One drain at a time, so that one failure of the queue is one try, whoever polls. */
    private final Object draining = new Object();

    private SyncService(Store store, ImageLoader loader, Options options, LongSupplier millis) {
        this.store = store;
        // the engine's parallel steps run in the pool of the task that calls them: this one, not the common pool
        this.engine = new ForkJoinPool(options.engineThreads(), pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("exemplar-engine-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
        this.queueBackoff = new Backoff(millis);
        this.loader = loader;
        this.options = options;
        this.spreading = new LabelSpreading(store, options.modelVersion(), this::queueOrder);
    }

    /** A service with these settings, its event polling and retries of writes started. */
    public static SyncService start(Store store, ImageLoader loader, Options options) {
        return start(store, loader, options, System::currentTimeMillis);
    }

    /** As {@link #start(Store, ImageLoader, Options)}, the back-off of the event queue timed by {@code millis}. */
    static SyncService start(Store store, ImageLoader loader, Options options, LongSupplier millis) {
        SyncService s = new SyncService(store, loader, options, millis);
        s.events.scheduleWithFixedDelay(s::drainEvents, 200, 200, TimeUnit.MILLISECONDS);
        // what a restart or a failed write left: retried when its backoff allows
        s.writer.scheduleWithFixedDelay(() -> { if (!s.flushScheduled.get()) s.flushDue(); }, 1, 1, TimeUnit.SECONDS);
        s.writer.scheduleWithFixedDelay(() -> { if (!s.store.queue().due().isEmpty()) s.writeFronts(); }, 1, 1, TimeUnit.SECONDS);
        return s;
    }

    /** From /setup: remember how to reach the project and start (or continue) its sync. */
    public void setup(long projectId, String hostname, String accessToken) {
        if (removing.contains(projectId)) return;
        fromSetup.put(projectId, new Connection(hostname, accessToken));
        // the URL survives a restart; the key lives in memory only, until the next /setup
        if (hostname != null && !hostname.isEmpty()) store.projects().labelStudioUrl(projectId, hostname);
        SyncPhase phase = store.projects().get(projectId).map(ProjectStore.Project::syncPhase).orElse(SyncPhase.NEW);
        // Label Studio calls /setup again and again: only new settings ("stale") call for another sync of one under way
        if (phase == SyncPhase.DONE || (syncing.get() == projectId && phase != SyncPhase.STALE)) return;
        schedule(projectId);
    }

    void schedule(long projectId) {
        if (removing.contains(projectId)) return;
        if (pending.add(projectId)) worker.submit(() -> sync(projectId));
    }

    /**
     * Takes Exemplar out of the project while the backend runs ({@link ProjectRemoval}): after a
     * sync of it that is under way, with its queued events dropped and no write of its predictions
     * left, so nothing of Exemplar's comes back.
     */
    public ProjectRemoval.Outcome remove(long projectId) throws InterruptedException {
        LabelStudioClient c = client(projectId).orElseThrow(() -> new IllegalStateException(
                "Label Studio's URL and key for project " + projectId + " are not known: set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY"));
        removing.add(projectId);
        try {
            return worker.submit(() -> {
                store.transaction(() -> {
                    store.events().forget(projectId);
                    store.labels().forget(projectId);
                    store.queue().forget(projectId);
                });
                writer.submit(() -> { }).get(); // a write of its predictions under way has ended
                events.submit(() -> { }).get(); // and so has an event of it being handled
                return ProjectRemoval.remove(projectId, c, store, options.modelVersion());
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            removing.remove(projectId);
            fromSetup.remove(projectId);
        }
    }

    private void sync(long projectId) {
        syncing.set(projectId); // before leaving pending: busy() never sees neither
        pending.remove(projectId);
        try {
            Optional<LabelStudioClient> client = client(projectId);
            if (client.isEmpty()) {
                failed(projectId, "no Label Studio URL and key: set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY");
                return;
            }
            JsonNode extra = store.projects().get(projectId).map(ProjectStore.Project::settings).orElse(null);
            ProjectSync.Outcome o = onEngine(() -> new ProjectSync(store, client.get(), loader, options.modelVersion(), cache)
                    .run(projectId, pipelineOptions(extra), annotators(extra), Progress.NONE));
            decoded.addAndGet(o.decoded());
            store.projects().error(projectId, null);
            lastErrors.remove(projectId);
            try {
                int added = EventsWebhook.ensure(client.get(), projectId, options.modelVersion(), options.webhookSecret());
                if (added > 0) LOG.info("project {}: added a webhook so that Label Studio sends the backend its task and annotation events", projectId);
            } catch (RuntimeException e) { // the sync stands; the next one tries again
                LOG.warn("adding project {}'s webhook for task and annotation events failed: {}", projectId, e.getMessage());
            }
            if (!options.webhookSecret().isEmpty()) {
                try {
                    WebhookSecret.apply(client.get(), projectId, options.modelVersion(), options.webhookSecret());
                } catch (RuntimeException e) { // the sync stands; the next one tries again
                    LOG.warn("putting the webhook secret on project {}'s webhook failed: {}", projectId, e.getMessage());
                }
            }
            // links may have changed: propagation follows, on the events thread like all propagation work
            events.execute(() -> {
                try {
                    spreading.recomputeAll(projectId);
                } catch (RuntimeException e) {
                    LOG.warn("propagation in project {}: {}", projectId, e.getMessage());
                }
                changed();
                drainEvents();
            });
        } catch (RuntimeException e) {
            LOG.warn("sync of project {} failed: {}", projectId, e.getMessage());
            failed(projectId, String.valueOf(e.getMessage()));
        } finally {
            syncing.set(-1);
        }
    }

    /** Records why the project's sync cannot go on; in memory even when the store cannot take it. */
    private void failed(long projectId, String error) {
        lastErrors.put(projectId, error);
        try {
            store.projects().error(projectId, error);
        } catch (RuntimeException e) {
            LOG.warn("recording project {}'s error failed too: {}", projectId, e.getMessage());
        }
    }

    /** Why the project's last sync failed, when it did and no sync has succeeded since; as known in memory. */
    public Optional<String> lastError(long projectId) {
        return Optional.ofNullable(lastErrors.get(projectId));
    }

    /** Runs {@code work} on the events thread, where all propagation happens, and waits for it. */
    <T> T onEventsThread(Callable<T> work) {
        try {
            return events.submit(work).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the events thread is busy; try again", e);
        }
    }

    /** How the plugin reaches Label Studio for the project, when it knows. */
    Optional<LabelStudioClient> client(long projectId) {
        Connection setup = fromSetup.get(projectId);
        Connection configured = options.connection();
        String url = !configured.url().isEmpty() ? configured.url()
                : setup != null ? setup.url() : store.projects().labelStudioUrl(projectId).orElse("");
        String key = !configured.apiKey().isEmpty() ? configured.apiKey() : setup == null ? "" : setup.apiKey();
        if (url.isEmpty() || key.isEmpty()) return Optional.empty();
        Connection c = new Connection(url, key);
        return Optional.of(clients.computeIfAbsent(c, k -> LabelStudioClient.builder(k.url(), k.apiKey()).mediaHosts(options.imageHosts())
                .maxMediaBytes(options.maxImageBytes()).calls(calls).build()));
    }

    /** Per-project settings from the ML backend's extra_params (null when the project is not known), over the defaults. */
    private Pipeline.Options pipelineOptions(JsonNode extra) {
        Pipeline.Options o = options.defaults();
        if (extra == null) return o;
        String size = extra.hasNonNull("summary_size") ? extra.get("summary_size").asText() : o.summarySize();
        int max = extra.hasNonNull("max_delegates") ? extra.get("max_delegates").asInt(o.maxDelegates()) : o.maxDelegates();
        return new Pipeline.Options(size, max, o.embeddings(), o.loader(), o.features());
    }

    /** How the project's summary queue is worked: extra_params "queue" (summary or adaptive), else the default. */
    QueueOrder queueOrder(long projectId) {
        JsonNode extra = store.projects().get(projectId).map(ProjectStore.Project::settings).orElse(null);
        JsonNode q = extra == null ? null : extra.get("queue");
        if (q != null && q.isTextual()) {
            for (QueueOrder o : QueueOrder.values()) if (o.name().equalsIgnoreCase(q.asText().trim())) return o;
        }
        return options.queue();
    }

    /** A write of adaptive queue fronts is waiting on the sync thread: one at a time is enough. */
    private final AtomicBoolean frontsWaiting = new AtomicBoolean();
    /** When Label Studio failed a queue write: not tried again before this time. */
    private final Map<Long, Long> frontNotBefore = new ConcurrentHashMap<>();

    /**
     * Queues a write of every changed queue front, on the sync thread: a sync also writes the tasks' data, which
     * Label Studio replaces whole, so the two never write a task at once.
     */
    private void writeFronts() {
        if (!frontsWaiting.compareAndSet(false, true)) return;
        worker.submit(() -> {
            frontsWaiting.set(false);
            for (QueueStore.Due due : store.queue().due()) {
                long project = due.projectId();
                if (removing.contains(project) || frontNotBefore.getOrDefault(project, 0L) > System.currentTimeMillis()) continue;
                Optional<LabelStudioClient> client = client(project);
                if (client.isEmpty()) continue;
                try {
                    QueueFront.write(store, project, client.get());
                    frontNotBefore.remove(project);
                } catch (RuntimeException ex) {
                    frontNotBefore.put(project, System.currentTimeMillis() + MAX_RETRY_MS);
                    LOG.warn("queue of project {}: {}; tried again in {} ms", project, ex.getMessage(), MAX_RETRY_MS);
                }
            }
        });
    }

    /** Annotators for per-annotator queues: extra_params "annotators" (a list or a comma-separated string), else the default. */
    private List<String> annotators(JsonNode extra) {
        return annotators(extra, options.defaultAnnotators());
    }

    static List<String> annotators(JsonNode extra, List<String> defaults) {
        JsonNode a = extra == null ? null : extra.get("annotators");
        if (a != null && a.isArray()) {
            List<String> out = new ArrayList<>();
            a.forEach(x -> out.add(x.asText().trim()));
            return out.stream().filter(x -> !x.isEmpty()).toList();
        }
        if (a != null && a.isTextual()) return split(a.asText());
        return defaults;
    }

    static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** A drain is waiting to start on the events thread: a flood of webhooks queues one, not one each. */
    private final AtomicBoolean drainWaiting = new AtomicBoolean();

    /** A webhook was queued: handle it soon, on the events thread, not on the caller's. */
    void eventQueued() {
        if (!drainWaiting.compareAndSet(false, true)) return;
        events.execute(() -> {
            drainWaiting.set(false); // before draining: an event committed from now on is seen by this drain or starts the next
            // the queue just took a write, so a full disk may have space again: no need to wait out its back-off
            drainEvents(true);
        });
    }

    /**
     * Handles every due event, then writes the predictions they call for. Task events schedule a
     * sync; annotation events change what is propagated, each in one transaction with marking it
     * done; other events are marked done. Safe to call from several threads: one drains at a time.
     * After the queue itself failed, waits out its back-off.
     */
    void drainEvents() {
        drainEvents(false);
    }

    private void drainEvents(boolean now) {
        synchronized (draining) {
            if (now || queueBackoff.due()) drainQueue();
        }
    }

    private void drainQueue() {
        try {
            releaseStuck();
            Optional<EventQueue.Event> e;
            while ((e = store.events().claim()).isPresent()) {
                EventQueue.Event event = e.get();
                try {
                    handle(event);
                } catch (RuntimeException storeFailed) {
                    // not even its retry could be recorded: it stays claimed until released here
                    stuck.put(event.id(), String.valueOf(storeFailed.getMessage()));
                    throw storeFailed;
                }
            }
            queueBackoff.succeeded().ifPresent(line -> LOG.info("event queue {}", line));
        } catch (RuntimeException ex) {
            queueBackoff.failed(String.valueOf(ex.getMessage())).ifPresent(line -> LOG.warn("event queue: {}", line));
        }
    }

    private void handle(EventQueue.Event event) {
        if (event.projectId() != null && removing.contains(event.projectId())) {
            store.events().done(event.id());
            return;
        }
        try {
            if (WebhookAction.of(event.kind()).filter(WebhookAction::changesTasks).isPresent() && event.projectId() != null) schedule(event.projectId());
            if (LabelSpreading.handles(event.kind()) && event.projectId() != null) {
                // the labels that came in meanwhile are handled with this one: one recompute of the project for all
                List<EventQueue.Event> burst = new ArrayList<>(List.of(event));
                burst.addAll(store.events().claimFollowing(event, ANNOTATION_KINDS, BURST - 1));
                try {
                    handleAnnotations(event.projectId(), burst);
                } catch (IOException | RuntimeException ex) {
                    if (burst.size() == 1) throw ex;
                    // one of them may be what fails: each is tried on its own, in order, as if none had been claimed with it
                    List<Long> others = burst.subList(1, burst.size()).stream().map(EventQueue.Event::id).toList();
                    try {
                        store.events().release(others);
                    } catch (RuntimeException storeFailed) { // put back at the next drain, as the queue's own failures are
                        others.forEach(id -> stuck.put(id, String.valueOf(storeFailed.getMessage())));
                        throw storeFailed;
                    }
                    handleAnnotations(event.projectId(), List.of(event));
                }
                changed();
                writeFronts();
            } else {
                store.events().done(event.id());
            }
        } catch (IOException | RuntimeException ex) {
            LOG.warn("event {} ({}): {}", event.id(), event.kind(), ex.getMessage());
            store.events().retryLater(event.id(), String.valueOf(ex.getMessage()), Duration.ofSeconds(1));
        }
    }

    /** Annotation events handled at once, at most. */
    static final int BURST = 100;
    private static final Set<String> ANNOTATION_KINDS = Arrays.stream(WebhookAction.values())
            .filter(WebhookAction::changesAnnotations).map(WebhookAction::name).collect(Collectors.toUnmodifiableSet());

    /** Applies these annotation events of one project, and marks them done, in one transaction. */
    private void handleAnnotations(long project, List<EventQueue.Event> burst) throws IOException {
        List<JsonNode> payloads = new ArrayList<>();
        for (EventQueue.Event e : burst) payloads.add(Json.MAPPER.readTree(e.payloadJson()));
        store.transaction(() -> {
            spreading.apply(project, payloads);
            burst.forEach(e -> store.events().done(e.id()));
        });
    }

    /** Puts back in the queue the events a failing store left claimed, so they are not held until a restart. */
    private void releaseStuck() {
        for (Map.Entry<Long, String> s : stuck.entrySet()) {
            boolean claimed = store.events().get(s.getKey()).filter(x -> x.state() == EventQueue.State.PROCESSING).isPresent();
            if (claimed) store.events().retryLater(s.getKey(), s.getValue(), Duration.ofSeconds(1));
            stuck.remove(s.getKey());
        }
    }

    /** What is wanted changed: a write follows once the changes pause. */
    void changed() {
        long now = System.nanoTime();
        lastChange = now;
        if (flushScheduled.compareAndSet(false, true)) {
            firstChange = now;
            writer.schedule(this::flushWhenQuiet, QUIET_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushWhenQuiet() {
        long due = Math.min(lastChange + TimeUnit.MILLISECONDS.toNanos(QUIET_MS), firstChange + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS));
        long wait = due - System.nanoTime();
        if (wait > 0) {
            writer.schedule(this::flushWhenQuiet, wait, TimeUnit.NANOSECONDS);
            return;
        }
        flushScheduled.set(false); // a change from now on schedules the next write
        flushDue();
    }

    /** Writes wanted predictions of every project whose retry time has come; on the writer thread. */
    private void flushDue() {
        long now = System.currentTimeMillis();
        for (long project : store.labels().projectsToWrite()) {
            if (flushNotBefore.getOrDefault(project, 0L) > now) continue;
            Optional<LabelStudioClient> client = client(project);
            if (client.isEmpty()) continue;
            try {
                spreading.flush(project, client.get());
                flushDelay.remove(project);
                flushNotBefore.remove(project);
            } catch (RuntimeException ex) {
                // Label Studio is down or refusing: everything stays wanted in the store and is tried again
                long delay = Math.min(MAX_RETRY_MS, flushDelay.getOrDefault(project, FIRST_RETRY_MS / 2) * 2);
                flushDelay.put(project, delay);
                flushNotBefore.put(project, now + delay);
                LOG.warn("propagation in project {}: {}; next try in {} ms", project, ex.getMessage(), delay);
            }
        }
    }

    /** True while predictions wait to be written to Label Studio. */
    boolean propagating() {
        return !store.labels().projectsToWrite().isEmpty();
    }

    /** Requests made to Label Studio since start. */
    public LabelStudioCalls calls() {
        return calls;
    }

    LabelSpreading spreading() {
        return spreading;
    }

    /** True while a sync is queued or running. */
    public boolean busy() {
        return syncing.get() >= 0 || !pending.isEmpty();
    }

    /** Images decoded since start: features of known content are never computed again. */
    int decoded() {
        return decoded.get();
    }

    /** Waits until no sync is queued or running; false when the time ran out first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        do {
            try {
                worker.submit(() -> { }).get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        } while (!pending.isEmpty() && System.nanoTime() < end);
        return pending.isEmpty();
    }

    /** Runs a sync's work on the engine's threads, its failures thrown as they are. */
    private <T> T onEngine(Callable<T> work) {
        try {
            return engine.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sync was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        engine.shutdownNow();
        writer.shutdownNow();
        events.shutdownNow();
        worker.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
