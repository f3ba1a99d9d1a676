package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.QueueStore;
import dev.exemplar.store.ProjectStore;
import dev.exemplar.store.ReviewState;
import dev.exemplar.store.Store;
import dev.exemplar.store.StoreException;
import dev.exemplar.store.SyncPhase;
import dev.exemplar.summary.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Service} over the store: answers from what it holds, and hands syncs, events and removals
 * on to the {@link Background}.
 */
public final class StoreService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(StoreService.class);

    private final String modelVersion;
    private final Store store;
    private final Background background;
    private final Review review;

    /** {@code review} null: no review page. */
    public StoreService(String modelVersion, Store store, Background background, Review review) {
        this.modelVersion = modelVersion;
        this.store = store;
        this.background = background;
        this.review = review;
    }

    @Override
    public void setup(JsonNode body) {
        SetupRequest request = SetupRequest.parse(body);
        remember(request);
        background.setup(request);
    }

    /** Records the project's config; /setup comes very often, so it writes only when something changed. */
    private void remember(SetupRequest r) {
        String hash = LabelConfig.hash(r.schema());
        String field = LabelConfig.imageField(r.schema()).orElse(null);
        String extra = r.extraParams() == null ? "{}" : r.extraParams().toString();
        Optional<ProjectStore.Project> known = store.projects().get(r.projectId());
        boolean same = known.isPresent() && hash.equals(known.get().labelConfigHash()) && Objects.equals(field, known.get().imageField())
                && extra.equals(known.get().settingsJson()) && modelVersion.equals(known.get().modelVersion());
        boolean configKept = store.projects().labelConfig(r.projectId()).map(LabelConfig::hash).filter(hash::equals).isPresent();
        if (same && configKept) return;
        store.transaction(() -> {
            store.projects().ensure(r.projectId());
            store.projects().labelConfig(r.projectId(), r.schema()); // what propagation reads the controls from
            if (same) return;
            store.projects().configure(r.projectId(), hash, field, extra, modelVersion);
            // a new label config may have made Label Studio drop views; new settings change the order
            if (known.isPresent()) store.projects().phase(r.projectId(), SyncPhase.STALE, 0);
        });
    }

    /**
     * Label Studio waits 1 s for a webhook and never retries it: the event is committed to the
     * durable queue and acknowledged at once; the work happens in the background.
     */
    @Override
    public long webhook(JsonNode event) {
        JsonNode action = event.get("action");
        if (action == null || !action.isTextual() || action.asText().isBlank()) {
            throw new InvalidRequest("a webhook event needs \"action\", a string");
        }
        if (action.asText().length() > MAX_ACTION_CHARS) throw new InvalidRequest("a webhook event's \"action\" is too long");
        long projectId = projectOfEvent(event.get("project"));
        long id;
        try {
            id = store.events().enqueue(projectId, action.asText(), event.toString());
        } catch (StoreException.QueueFull e) {
            LOG.warn("webhook {} of project {} refused: {}", action.asText(), projectId, e.getMessage());
            // Label Studio does not send it again: say so, for whoever reads its webhook log
            throw new Busy(e.getMessage() + "; this event is not kept (Label Studio does not send it again)");
        }
        try {
            background.eventQueued();
        } catch (RuntimeException e) { // the event is safe in the queue; the poll will handle it
            LOG.warn("handling event {} now failed: {}", id, e.getMessage());
        }
        return id;
    }

    /** Label Studio asks for a page of tasks at a time; each is one lookup, so a request's work stays bounded. */
    static final int MAX_PREDICT_TASKS = 10_000;

    /** Label Studio's actions are short upper-case words; anything longer is not one. */
    static final int MAX_ACTION_CHARS = 64;

    /**
     * The project a webhook event is about: Label Studio sends {@code "project": {"id": n, ...}}; a bare
     * number is read too. Anything else (missing, not a whole number, not positive, past a long) cannot be
     * queued for a project and is refused.
     */
    static long projectOfEvent(JsonNode project) {
        JsonNode id = project != null && project.isObject() ? project.get("id") : project;
        if (id == null || !(id.isIntegralNumber() && id.canConvertToLong()) || id.asLong() <= 0) {
            throw new InvalidRequest("a webhook event needs \"project\": {\"id\": <a positive whole number>}");
        }
        return id.asLong();
    }

    /**
     * A constituent's propagated label, as written to Label Studio, with its score; for any other
     * task none. Only written labels are answered: one not yet written will be, and answering it
     * here too would give the task two. One read of the last commit per project in the body, off the
     * lock of the background's transactions, so a page of tasks never queues behind the sync.
     */
    @Override
    public List<List<Suggestion>> predict(JsonNode body) {
        JsonNode tasks = body.get("tasks");
        if (tasks == null || !tasks.isArray()) throw new InvalidRequest("predict needs \"tasks\", a list of tasks");
        if (tasks.size() > MAX_PREDICT_TASKS) {
            throw new InvalidRequest("predict takes at most " + MAX_PREDICT_TASKS + " tasks at once, got " + tasks.size());
        }
        long bodyProject = projectOf(body.path("project").asText("")); // "<id>.<timestamp>"
        long[][] keys = new long[tasks.size()][]; // {project, task}, null when the task names neither
        Map<Long, List<Long>> byProject = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            long project = task.path("project").canConvertToLong() ? task.path("project").asLong() : bodyProject;
            if (project < 0 || !task.path("id").canConvertToLong()) continue;
            keys[i] = new long[] {project, task.path("id").asLong()};
            byProject.computeIfAbsent(project, p -> new ArrayList<>()).add(keys[i][1]);
        }
        Map<Long, Map<Long, LabelStore.SpreadLabel>> found = new HashMap<>();
        byProject.forEach((project, ids) -> found.put(project, store.labels().committedSpreadLabels(project, ids)));
        List<List<Suggestion>> out = new ArrayList<>();
        for (long[] key : keys) {
            LabelStore.SpreadLabel p = key == null ? null : found.get(key[0]).get(key[1]);
            out.add(p != null && p.written() != null && p.state() != ReviewState.REJECTED
                    ? List.of(new Suggestion(modelVersion, p.written().result(), p.written().score())) : List.of());
        }
        return out;
    }

    /** The project of Label Studio's {@code "<id>.<timestamp>"} (or a bare id); -1 when it is neither. */
    static long projectOf(String field) {
        return field.matches("\\d{1,18}(\\..*)?") ? Long.parseLong(field.split("\\.")[0]) : -1; // 18 digits: never past a long
    }

    @Override
    public Optional<Status> status(long id) {
        Optional<ProjectStore.Project> known = store.projects().get(id);
        if (known.isEmpty()) return Optional.empty();
        ProjectStore.Project p = known.get();
        double seconds = p.phaseStartedAt() == null ? 0 : (p.updatedAt().toEpochMilli() - p.phaseStartedAt().toEpochMilli()) / 1000.0;
        double rate = seconds > 0 ? p.progressDone() / seconds : 0;
        Long eta = rate > 0 && p.progressTotal() >= p.progressDone() ? Math.round((p.progressTotal() - p.progressDone()) / rate) : null;
        Progress progress = new Progress(p.progressDone(), p.progressTotal(), Math.round(rate * 100) / 100.0, eta);
        List<LabelStore.SpreadLabel> rows = store.labels().spreadLabels(id);
        Spreading spreading = new Spreading(store.labels().labelledTasks(id).size(),
                rows.stream().filter(r -> r.wanted() != null && r.state() == ReviewState.PROPOSED).count(),
                rows.stream().filter(LabelStore.SpreadLabel::dirty).count(),
                rows.stream().filter(r -> r.state() == ReviewState.ACCEPTED).count(),
                rows.stream().filter(r -> r.state() == ReviewState.REJECTED).count(),
                store.projects().propagationNote(id).orElse(null));
        QueueStore.Front front = store.queue().front(id);
        Set<Long> labelled = new HashSet<>(store.labels().labelledTasks(id));
        Queue queue = new Queue(background.queueOrder(id).name().toLowerCase(Locale.ROOT), front.tasks(),
                front.tasks().stream().filter(t -> !labelled.contains(t)).count(),
                store.queue().due().stream().anyMatch(d -> d.projectId() == id));
        String lastError = background.lastError(id).orElse(p.lastError());
        return Optional.of(new Status(id, p.syncPhase().text(), progress, p.summarySize(), spreading, queue, lastError, p.updatedAt()));
    }

    @Override
    public List<Status> projects() {
        return store.projects().all().stream().map(p -> status(p.id())).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<Result> result(long id) {
        Optional<OrderStore.OrderResult> stored = store.orders().read(id);
        if (stored.isEmpty()) return Optional.empty();
        OrderStore.OrderResult r = stored.get();
        List<String> order = r.order().stream().map(String::valueOf).toList();
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        r.links().forEach((c, ls) -> links.put(String.valueOf(c),
                ls.stream().map(l -> new Result.Link(String.valueOf(l.delegate()), l.weight())).toList()));
        List<List<String>> dups = r.duplicates().stream().map(g -> g.stream().map(String::valueOf).toList()).toList();
        List<Result.ItemError> errors = store.tasks().list(id).stream().filter(t -> t.error() != null)
                .map(t -> new Result.ItemError(String.valueOf(t.taskId()), t.error())).toList();
        return Optional.of(new Result(order, r.summarySize(), links, dups, errors));
    }

    @Override
    public Removal remove(long project) throws Exception {
        ProjectRemoval.Outcome o = background.remove(project);
        return new Removal(project, o.backends(), o.views(), o.tasks(), o.predictions());
    }

    /** What the database holds: projects, tasks, errors, features, events by state; and each project's sync phase. */
    @Override
    public String metrics() {
        StringBuilder out = new StringBuilder();
        store.figures().forEach((name, value) -> {
            String metric = name.startsWith("events_") ? "exemplar_events{state=\"" + name.substring(7) + "\"}" : "exemplar_" + name;
            out.append(metric).append(' ').append(value).append('\n');
        });
        for (ProjectStore.Project p : store.projects().all()) {
            out.append("exemplar_project_sync_done{project=\"").append(p.id()).append("\",phase=\"").append(p.syncPhase().text())
                    .append("\"} ").append(p.progressDone()).append('\n');
        }
        return out.append(background.metrics()).toString();
    }

    @Override
    public Optional<Review> review() {
        return Optional.ofNullable(review);
    }
}
