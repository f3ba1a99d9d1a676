package dev.exemplar.backend;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.exemplar.features.FeatureCodec;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.LocalFeatures;
import dev.exemplar.features.learned.LearnedFeatures;
import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.LabelStudioException;
import dev.exemplar.labelstudio.Project;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.labelstudio.View;
import dev.exemplar.store.FeatureStore;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.QueueStore;
import dev.exemplar.store.ReviewState;
import dev.exemplar.store.Role;
import dev.exemplar.store.Store;
import dev.exemplar.store.StoreException;
import dev.exemplar.store.SyncPhase;
import dev.exemplar.store.TaskStore;
import dev.exemplar.summary.KeypointSource;
import dev.exemplar.summary.PairMemory;
import dev.exemplar.summary.FeatureFiles;
import dev.exemplar.summary.FeatureMethod;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Brings one Label Studio project up to date: its tasks, their features (kept by content hash,
 * so no image is decoded twice, even across restarts), the engine's order, links and duplicates,
 * then the queue fields on the tasks and the Data Manager views that put delegates first.
 * Every step is idempotent: a second run changes nothing in Label Studio.
 */
public final class ProjectSync {
    public static final String RANK = "exemplar_rank", ROLE = "exemplar_role", DELEGATES = "exemplar_delegates",
            ANNOTATOR = "exemplar_annotator";
    public static final String SUMMARY_VIEW = "Exemplar · summary queue", CONSTITUENTS_VIEW = "Exemplar · constituents",
            ANNOTATOR_VIEW = "Exemplar · queue · ", REVIEW_VIEW = "Exemplar · review";
    private static final String ANNOTATOR_PURPOSE = "annotator:";

    /** What a run did. */
    public record Outcome(int tasks, int decoded, int reused, int errors, int patched, int summarySize) { }

    private static final Logger LOG = LoggerFactory.getLogger(ProjectSync.class);
    /** Share of a freshly made order that may be added or removed before the order is made afresh. */
    static final double DRIFT = 0.25;
    /**
     * Task writes at once. Against Label Studio on SQLite, 100 PATCHes measured 11/s one at a time,
     * 19/s two at a time and 17/s four at a time (its writers then wait on the database lock).
     */
    static final int WRITERS = 2;
    /** Images whose stored features are read at once. */
    static final int READ_CHUNK = 1000;
    /** The learned features' format in the store: MobileNetV2 1.4 of nsfwjs 4.4.0, pooled, on 224 x 224 squeezed pictures. */
    static final int LEARNED_FORMAT = 1;

    /** Puts an image's stored features (and learned ones, or null) in a run's files. */
    private interface Keep {
        void accept(String hash, FeatureCache.Entry entry, float[] learned);
    }

    private final Store store;
    private final LabelStudioClient client;
    private final ImageLoader loader;
    private final String modelVersion;
    private final FeatureCache cache;
    private final AtomicInteger decodedTotal = new AtomicInteger();
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    ProjectSync(Store store, LabelStudioClient client, ImageLoader loader, String modelVersion) {
        this(store, client, loader, modelVersion, new FeatureCache(64L << 20));
    }

    ProjectSync(Store store, LabelStudioClient client, ImageLoader loader, String modelVersion, FeatureCache cache) {
        this.cache = cache;
        this.store = store;
        this.client = client;
        this.loader = loader;
        this.modelVersion = modelVersion;
    }

    /** Images decoded and kept by this instance since it was made: what caching by content hash saves. */
    int decoded() {
        return decodedTotal.get();
    }

    public Outcome run(long projectId, Pipeline.Options options, Progress progress) {
        return run(projectId, options, List.of(), progress);
    }

    /**
     * With annotators, the delegates are also shared out among them by rank, round-robin, each
     * with a view of their own: Label Studio's "Label Tasks As Displayed" ignores task locks, so two
     * people on one view could be served the same task.
     */
    public Outcome run(long projectId, Pipeline.Options options, List<String> annotators, Progress progress) {
        Project project = client.project(projectId);
        String field = LabelConfig.imageField(project.labelConfig())
                .orElseThrow(() -> new IllegalStateException("project " + projectId + " has no <Image value=\"$field\"> in its label config"));
        store.projects().ensure(projectId);
        if (project.labelConfig() != null) store.projects().labelConfig(projectId, project.labelConfig());
        store.projects().phase(projectId, SyncPhase.TASKS, 0);
        // read before deleted tasks leave it: the order this run builds on
        Optional<OrderStore.OrderResult> before = store.orders().read(projectId);

        Map<Long, Task> tasks = new LinkedHashMap<>();
        client.tasks(projectId).forEach(t -> tasks.put(t.id(), t));
        Map<Long, String> refs = new LinkedHashMap<>();
        tasks.forEach((id, t) -> refs.put(id, t.data() != null && t.data().hasNonNull(field) ? t.data().get(field).asText() : ""));
        store.transaction(() -> {
            store.tasks().upsert(projectId, refs);
            List<Long> gone = store.tasks().ids(projectId).stream().filter(id -> !tasks.containsKey(id)).toList();
            if (!gone.isEmpty()) store.tasks().delete(projectId, gone);
        });

        Described described = features(projectId, field, options, progress);
        List<Result.ItemError> errors = new ArrayList<>();
        // by task id: the engine's input order must not depend on the ranks of an earlier run
        List<TaskStore.Task> known = store.tasks().list(projectId).stream()
                .sorted(Comparator.comparingLong(TaskStore.Task::taskId)).toList();
        // each task's slot is its place in that list; by content hash, the slots of the tasks showing that image
        Map<String, List<Integer>> slotsOf = new LinkedHashMap<>();
        for (int i = 0; i < known.size(); i++) {
            String h = known.get(i).contentHash();
            if (h != null) slotsOf.computeIfAbsent(h, k -> new ArrayList<>()).add(i);
        }
        FeatureCache.Entry[] held = new FeatureCache.Entry[known.size()];
        Pipeline.Run run;
        List<String> names = new ArrayList<>();
        Plan plan;
        try (FeatureFiles files = FeatureFiles.create(known.size(), options)) {
            // an image's descriptor and thumbnail go to the files as it is read, and the run holds the rest: what the
            // store holds of an image is several times that. Held in memory first, the others read a chunk at a time
            boolean learnedOrder = options.features() == FeatureMethod.LEARNED;
            Keep keep = (h, e, learned) -> {
                for (int slot : slotsOf.get(h)) {
                    String name = String.valueOf(known.get(slot).taskId());
                    held[slot] = new FeatureCache.Entry(files.put(slot, name, e.features(), learned), e.photograph());
                }
            };
            // a chunk at a time, with the chunk's learned features when the order uses them (7 KB an image)
            List<String> hashesKnown = new ArrayList<>(slotsOf.keySet());
            for (int from = 0; from < hashesKnown.size(); from += READ_CHUNK) {
                List<String> chunk = hashesKnown.subList(from, Math.min(hashesKnown.size(), from + READ_CHUNK));
                Map<String, float[]> learned = learnedOrder ? store.features().learned(chunk, LEARNED_FORMAT) : Map.of();
                Map<String, FeatureCache.Entry> entries = new HashMap<>();
                List<String> toRead = new ArrayList<>();
                for (String h : chunk) {
                    FeatureCache.Entry e = cache.get(cacheKey(h, options));
                    if (e != null) entries.put(h, e);
                    else toRead.add(h);
                }
                store.features().globals(toRead, FeatureCodec.FORMAT).forEach((h, f) -> {
                    FeatureCache.Entry e = new FeatureCache.Entry(
                            Pipeline.kept(FeatureCodec.decode(f.descriptor(), f.thumbnail(), null), options.features()), f.photograph());
                    cache.put(cacheKey(h, options), e);
                    entries.put(h, e);
                });
                entries.forEach((h, e) -> {
                    if (!learnedOrder || learned.containsKey(h)) keep.accept(h, e, learned.get(h));
                });
            }
            List<Integer> slots = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            List<FeatureCache.Entry> items = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                TaskStore.Task t = known.get(i);
                if (held[i] == null) {
                    String why = t.error() != null ? t.error() : t.contentHash() != null && learnedOrder ? "no learned features" : "no image";
                    errors.add(new Result.ItemError(Long.toString(t.taskId()), why));
                    continue;
                }
                names.add(String.valueOf(t.taskId()));
                slots.add(i);
                hashes.add(t.contentHash());
                items.add(held[i]);
            }

            store.projects().phase(projectId, SyncPhase.ORDER, names.size());
            plan = plan(projectId, before, names, options);
            Pipeline.Earlier earlier = !plan.extend() ? Pipeline.Earlier.NONE
                    : new Pipeline.Earlier(before.get().order().stream().map(String::valueOf).toList(), before.get().summarySize());
            ScenePairs pairs = new ScenePairs(hashes);
            run = Pipeline.summarise(names, items.stream().map(FeatureCache.Entry::features).toList(), files,
                    slots.stream().mapToInt(Integer::intValue).toArray(), errors, options, earlier, new StoredKeypoints(hashes, items), pairs,
                    recorded(projectId, progress));
            store.features().putScenePairs(pairs.found, FeatureCodec.FORMAT);
        }
        ProjectStore.OrderBasis basis = plan.basis();
        LOG.info("project {}: {} items ordered, milliseconds by phase {}", projectId, names.size(), run.millis());
        Result r = run.result();
        store.transaction(() -> {
            store.orders().write(projectId, toOrder(r, run.candidates(), run.neighbours()));
            store.projects().orderBasis(projectId, basis);
        });

        store.projects().phase(projectId, SyncPhase.QUEUE, 0);
        int patched = writeQueue(projectId, tasks, r, annotators);
        writeViews(projectId, annotators);
        // the project's model version is not set here: Label Studio refuses one without predictions, so
        // propagation sets it once Exemplar's first predictions exist
        store.projects().phase(projectId, SyncPhase.DONE, tasks.size());
        store.projects().progress(projectId, tasks.size(), tasks.size());
        return new Outcome(tasks.size(), described.decoded(), described.reused(), errors.size(), patched, r.summarySize());
    }

    /** Whether a run builds on the stored order, and what its order is then built from. */
    private record Plan(boolean extend, ProjectStore.OrderBasis basis) { }

    /**
     * A run builds on the stored order while the settings are those it was made with and the
     * items added or removed since it was made afresh stay within {@link #DRIFT} of it; else the
     * order is made afresh. Building on it keeps Label Studio's writes to what changed; starting
     * over now and then keeps the order as good as a fresh one where a project grew or shrank much.
     */
    private Plan plan(long projectId, Optional<OrderStore.OrderResult> before, List<String> names, Pipeline.Options options) {
        String settings = options.summarySize() + "|" + options.maxDelegates() + "|" + options.features();
        Plan fresh = new Plan(false, new ProjectStore.OrderBasis(settings, names.size(), 0));
        Optional<ProjectStore.OrderBasis> stored = store.projects().orderBasis(projectId);
        if (before.isEmpty() || stored.isEmpty() || !stored.get().options().equals(settings)) return fresh;
        Set<String> now = new HashSet<>(names);
        Set<String> was = before.get().order().stream().map(String::valueOf).collect(Collectors.toSet());
        long added = now.stream().filter(x -> !was.contains(x)).count(), removed = was.stream().filter(x -> !now.contains(x)).count();
        int drift = (int) (stored.get().drift() + added + removed);
        if (drift > DRIFT * stored.get().items()) return fresh;
        return new Plan(true, new ProjectStore.OrderBasis(settings, stored.get().items(), drift));
    }

    /** What the features phase did: images decoded, and images whose features were already stored. */
    private record Described(int decoded, int reused) { }

    /** Fetches and describes every task without features, and without learned features where the order uses them. */
    private Described features(long projectId, String field, Pipeline.Options options, Progress progress) {
        List<TaskStore.Task> missing = new ArrayList<>(store.tasks().withoutContent(projectId));
        LearnedFeatures network = null;
        if (options.features() == FeatureMethod.LEARNED) {
            missing.addAll(store.tasks().withoutLearned(projectId, LEARNED_FORMAT));
            network = Pipeline.learnedFeatures();
        }
        progress.phase("features", missing.size());
        AtomicInteger reused = new AtomicInteger();
        store.projects().phase(projectId, SyncPhase.FEATURES, missing.size());
        Outcomes outcomes = new Outcomes(projectId, missing.size());
        try {
            describe(missing, field, network, outcomes, reused, progress);
        } finally { // a sync stopped midway keeps what it did
            outcomes.close();
        }
        return new Described(outcomes.decoded, reused.get());
    }

    private void describe(List<TaskStore.Task> missing, String field, LearnedFeatures network, Outcomes outcomes, AtomicInteger reused,
                          Progress progress) {
        missing.parallelStream().forEach(t -> {
            try {
                if (t.imageRef() == null || t.imageRef().isEmpty()) throw new ImageError("task has no \"" + field + "\" field");
                byte[] bytes = client.downloadMedia(t.imageRef(), t.taskId());
                String hash = sha256(bytes);
                // identical images in flight at once are decoded by one thread; the others wait for it
                CompletableFuture<Void> mine = new CompletableFuture<>();
                CompletableFuture<Void> other = inFlight.putIfAbsent(hash, mine);
                if (other != null) other.join();
                try {
                    if (!outcomes.has(hash) && !store.features().contains(hash, FeatureCodec.FORMAT)) {
                        ImageFeatures f = ImageFeatures.of(bytes, "task " + t.taskId(), loader);
                        outcomes.feature(hash, new FeatureStore.Features(FeatureCodec.FORMAT, f.descriptor(),
                                FeatureCodec.thumbnail(f), FeatureCodec.keypoints(f)));
                    } else {
                        reused.incrementAndGet();
                    }
                    if (network != null && !outcomes.hasLearned(hash) && store.features().learned(List.of(hash), LEARNED_FORMAT).isEmpty()) {
                        outcomes.learned(hash, network.of(bytes, "task " + t.taskId(), loader));
                    }
                } finally {
                    if (other == null) {
                        inFlight.remove(hash);
                        mine.complete(null);
                    }
                }
                outcomes.content(t.taskId(), hash);
            } catch (ImageError | LabelStudioException e) {
                outcomes.error(t.taskId(), e.getMessage());
            } catch (StoreException e) { // the state cannot be kept (a full disk, say): the sync stops, and is not the task's fault
                throw e;
            } catch (RuntimeException e) {
                outcomes.error(t.taskId(), "cannot process: " + e);
            }
            progress.advance(1);
        });
    }

    /** The engine's steps also as the project's progress, written at most once a second: a large project's order takes minutes. */
    private Progress recorded(long projectId, Progress progress) {
        return new Progress() {
            private final AtomicInteger done = new AtomicInteger();
            private volatile long total, written = System.nanoTime();

            @Override
            public void phase(String name, long total) {
                progress.phase(name, total);
                this.total = total;
                done.set(0);
                store.projects().progress(projectId, 0, total);
            }

            @Override
            public void advance(long steps) {
                progress.advance(steps);
                int d = done.addAndGet((int) steps);
                long now = System.nanoTime();
                if (now - written >= 1_000_000_000L) {
                    written = now; // two threads may both write: harmless
                    store.projects().progress(projectId, d, total);
                }
            }
        };
    }

    private static String cacheKey(String hash, Pipeline.Options options) {
        return hash + "|" + options.features();
    }

    /**
     * The photographs' keypoints, read from the store as scene verification asks for them: a large project's would
     * not fit in memory. The most recently read stay decoded, since each item is asked for by each of its neighbours.
     */
    private final class StoredKeypoints implements KeypointSource {
        /** About 44 KB an item, its mirror's included: some 6,000 items. */
        static final long CACHED_BYTES = 256L << 20;
        private final List<String> hashes;
        private final List<FeatureCache.Entry> entries;
        private final LoadingCache<Integer, LocalFeatures.Keypoints[]> read;

        StoredKeypoints(List<String> hashes, List<FeatureCache.Entry> entries) {
            this.hashes = hashes;
            this.entries = entries;
            this.read = Caffeine.newBuilder().maximumWeight(CACHED_BYTES)
                    .weigher((Integer item, LocalFeatures.Keypoints[] k) -> 64 + LocalFeatures.Keypoints.bytes(k))
                    .build(item -> {
                        byte[] b = store.features().keypoints(hashes.get(item), FeatureCodec.FORMAT);
                        return b == null ? new LocalFeatures.Keypoints[2] : FeatureCodec.decodeKeypointPair(b);
                    });
        }

        @Override
        public boolean has(int item) {
            return entries.get(item).photograph();
        }

        @Override
        public LocalFeatures.Keypoints keypoints(int item) {
            return has(item) ? read.get(item)[0] : null;
        }

        @Override
        public LocalFeatures.Keypoints mirrored(int item) {
            return has(item) ? read.get(item)[1] : null;
        }
    }

    /** Scene verification's results by the images' content: those of earlier syncs, and those found now. */
    private final class ScenePairs implements PairMemory {
        private final List<String> hashes;
        private final Map<FeatureStore.Pair, Integer> known;
        final Map<FeatureStore.Pair, Integer> found = new ConcurrentHashMap<>();

        ScenePairs(List<String> hashes) {
            this.hashes = hashes;
            this.known = store.features().scenePairs(hashes, FeatureCodec.FORMAT);
        }

        @Override
        public int inliers(int a, int b) {
            Integer m = known.get(new FeatureStore.Pair(hashes.get(a), hashes.get(b)));
            return m == null ? UNKNOWN : m;
        }

        @Override
        public void found(int a, int b, int inliers) {
            found.put(new FeatureStore.Pair(hashes.get(a), hashes.get(b)), inliers);
        }
    }

    /**
     * What the features phase learns, written to the store a batch at a time (features first, then the tasks that
     * name them, then the progress): two commits an image made the store the bottleneck of a large project. A crash
     * loses at most a batch, whose tasks have no content yet and are described again by the next sync.
     */
    private final class Outcomes {
        static final int BATCH = 200;
        static final long MAX_WAIT_NANOS = 1_000_000_000L;
        private final long projectId;
        private final int total;
        private final Map<String, FeatureStore.Features> features = new HashMap<>();
        private final Map<String, float[]> learned = new HashMap<>();
        private final Map<Long, String> contents = new HashMap<>(), errors = new HashMap<>();
        private int done;
        /** Images whose features were written. */
        int decoded;
        private long lastFlush = System.nanoTime();
        /** After close, each outcome is written at once: threads still finishing an image after a stop. */
        private boolean closed;

        Outcomes(long projectId, int total) {
            this.projectId = projectId;
            this.total = total;
        }

        /** Whether features of this content wait in the batch. */
        synchronized boolean has(String hash) {
            return features.containsKey(hash);
        }

        synchronized boolean hasLearned(String hash) {
            return learned.containsKey(hash);
        }

        synchronized void learned(String hash, float[] vector) {
            learned.put(hash, vector);
        }

        synchronized void feature(String hash, FeatureStore.Features f) {
            features.put(hash, f);
        }

        synchronized void content(long taskId, String hash) {
            contents.put(taskId, hash);
            counted();
        }

        synchronized void error(long taskId, String error) {
            errors.put(taskId, error);
            counted();
        }

        private void counted() {
            done++;
            if (closed || contents.size() + errors.size() >= BATCH || System.nanoTime() - lastFlush >= MAX_WAIT_NANOS) flush();
        }

        synchronized void close() {
            closed = true;
            flush();
        }

        private void flush() {
            store.features().putAll(features);
            store.features().putLearned(learned, LEARNED_FORMAT);
            learned.clear();
            decoded += features.size();
            decodedTotal.addAndGet(features.size());
            store.tasks().outcomes(projectId, contents, errors);
            store.projects().progress(projectId, done, total);
            features.clear();
            contents.clear();
            errors.clear();
            lastFlush = System.nanoTime();
        }
    }

    private static OrderStore.OrderResult toOrder(Result r, Map<String, List<Pipeline.Candidate>> near, Pipeline.Neighbours graph) {
        List<Long> order = r.order().stream().map(Long::valueOf).toList();
        Map<Long, List<OrderStore.Link>> links = new LinkedHashMap<>();
        r.links().forEach((c, ls) -> links.put(Long.valueOf(c),
                ls.stream().map(l -> new OrderStore.Link(Long.parseLong(l.delegate()), l.weight())).toList()));
        List<List<Long>> dups = r.duplicates().stream().map(g -> g.stream().map(Long::valueOf).toList()).toList();
        Map<Long, List<OrderStore.Candidate>> candidates = new LinkedHashMap<>();
        near.forEach((c, ds) -> candidates.put(Long.valueOf(c),
                ds.stream().map(d -> new OrderStore.Candidate(Long.parseLong(d.delegate()), d.similarity())).toList()));
        // the engine numbers the graph by position in the order; the store keeps task ids, which outlive positions
        long[] neighbours = new long[graph.ids().length];
        for (int e = 0; e < neighbours.length; e++) neighbours[e] = order.get(graph.ids()[e]);
        OrderStore.Graph byTask = graph.degree() == 0 ? OrderStore.Graph.NONE
                : new OrderStore.Graph(graph.degree(), neighbours, graph.similarities());
        return new OrderStore.OrderResult(r.summarySize(), order, links, dups, candidates, byTask);
    }

    /**
     * Rank, role and delegates on each task whose values differ from what it carries in Label
     * Studio now (as read at the start of this run); returns the tasks written. Label Studio
     * replaces a task's data whole, so each write sends the task's data with the fields merged in.
     */
    int writeQueue(long projectId, Map<Long, Task> tasks, Result r, List<String> annotators) {
        // a reviewer sent these back: a person labels them, so they queue with the delegates
        Set<Long> rejected = store.labels().spreadLabels(projectId).stream()
                .filter(p -> p.state() == ReviewState.REJECTED).map(LabelStore.SpreadLabel::task)
                .collect(Collectors.toSet());
        Map<Long, ObjectNode> current = new HashMap<>();
        tasks.forEach((id, t) -> { if (t.data() != null) current.put(id, t.data()); });
        QueueStore.Front front = store.queue().front(projectId);
        QueueFields.Wanted wanted = QueueFields.changes(r, front.tasks(), current, rejected, annotators);
        Map<Long, ObjectNode> changed = wanted.changed();
        AtomicInteger done = new AtomicInteger();
        store.projects().progress(projectId, 0, changed.size());
        // waiting on Label Studio, not computing: a few requests at once
        ForkJoinPool writers = new ForkJoinPool(WRITERS);
        try {
            writers.submit(() -> changed.entrySet().parallelStream().forEach(e -> {
                Task now = tasks.get(e.getKey());
                if (now == null) return;
                client.updateTaskData(now, e.getValue());
                int d = done.incrementAndGet();
                if (d % 10 == 0 || d == changed.size()) store.projects().progress(projectId, d, changed.size());
            })).join();
        } finally {
            writers.shutdown();
        }
        // every task now carries its wanted key: what an adaptive queue reorders from, without reading the project
        store.queue().keys(projectId, wanted.keys());
        store.queue().written(projectId, front.version());
        return changed.size();
    }

    /** The two views, created once and updated in place; re-created when Label Studio dropped them. */
    void writeViews(long projectId, List<String> annotators) {
        Map<Long, View> existing = client.views(projectId).stream().collect(Collectors.toMap(View::id, v -> v, (a, b) -> a));
        view(projectId, "summary", SUMMARY_VIEW, Role.DELEGATE, null, existing);
        view(projectId, "constituents", CONSTITUENTS_VIEW, Role.CONSTITUENT, null, existing);
        view(projectId, "review", REVIEW_VIEW, null, null, existing); // spread labels reach delegates too
        for (String a : annotators) view(projectId, ANNOTATOR_PURPOSE + a, ANNOTATOR_VIEW + a, Role.DELEGATE, a, existing);
        // an annotator taken off the list loses their view
        for (Map.Entry<String, Long> v : store.views().all(projectId).entrySet()) {
            if (v.getKey().startsWith(ANNOTATOR_PURPOSE) && !annotators.contains(v.getKey().substring(ANNOTATOR_PURPOSE.length()))) {
                if (existing.containsKey(v.getValue())) client.deleteView(v.getValue());
                store.views().remove(projectId, v.getKey());
            }
        }
    }

    private void view(long projectId, String purpose, String title, Role role, String annotator, Map<Long, View> existing) {
        ObjectNode filters = Json.MAPPER.createObjectNode().put("conjunction", "and");
        ArrayNode items = filters.putArray("items");
        if (role != null) {
            items.addObject().put("filter", "filter:tasks:data." + ROLE).put("operator", "equal").put("type", "String").put("value", role.text());
        }
        if (annotator != null) {
            items.addObject().put("filter", "filter:tasks:data." + ANNOTATOR).put("operator", "equal").put("type", "String").put("value", annotator);
        }
        List<String> ordering = List.of("tasks:data." + RANK);
        if (purpose.equals("review")) {
            // propagated and not yet annotated, the least certain first
            // a list: Label Studio iterates over the value, so a plain string would match by single characters
            items.addObject().put("filter", "filter:tasks:predictions_model_versions").put("operator", "contains")
                    .put("type", "List").putArray("value").add(modelVersion);
            items.addObject().put("filter", "filter:tasks:total_annotations").put("operator", "equal").put("type", "Number").put("value", 0);
            ordering = List.of("tasks:predictions_score");
        }
        ObjectNode data = View.data(title, filters, ordering);
        Optional<Long> id = store.views().get(projectId, purpose);
        View current = id.map(existing::get).orElse(null);
        if (current == null) {
            View made = client.createView(projectId, data);
            store.views().put(projectId, purpose, made.id());
        } else if (!sameView(current, data)) {
            client.updateView(current.id(), projectId, data);
        }
    }

    private static boolean sameView(View v, ObjectNode wanted) {
        return v.data() != null && wanted.get("title").equals(v.data().get("title"))
                && wanted.get("filters").equals(v.data().get("filters")) && wanted.get("ordering").equals(v.data().get("ordering"));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
