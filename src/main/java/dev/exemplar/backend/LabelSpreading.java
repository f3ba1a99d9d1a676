package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelConfig;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.LabelStudioException;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.labelstudio.WebhookAction;
import dev.exemplar.propagation.LabelVote;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.OrderStore;
import dev.exemplar.store.ReviewState;
import dev.exemplar.store.Role;
import dev.exemplar.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Label propagation: annotations become predictions on the tasks people have not labelled. Single
 * choices spread over the neighbour graph to every task, delegates included ({@link SpreadChoices});
 * multiple choices are voted on by each constituent's delegates and regions copied to near-duplicates.
 * Events only change what is wanted (in the store, in one transaction each); {@link #flush} then
 * brings Label Studio in line. What is wanted depends only on the annotations known, not on the order
 * events came in, so a repeated or reordered event changes nothing.
 */
final class LabelSpreading {
    /** Classification tags: their values are voted on. */
    static final Set<String> CHOICES = Set.of("choices", "taxonomy");
    /** Region tags: copied, coordinates and all, to near-duplicates only. */
    static final Set<String> REGIONS = Set.of("rectanglelabels", "polygonlabels", "brushlabels", "keypointlabels",
            "ellipselabels", "rectangle", "polygon", "keypoint", "brush", "ellipse");
    /**
     * Confidence of a region copied to a near-duplicate: duplicate pairs were at least 90% precise
     * on every development set.
     */
    static final double COPY_CONFIDENCE = 0.9;
    private static final Logger LOG = LoggerFactory.getLogger(LabelSpreading.class);

    private final Store store;
    private final String modelVersion;
    private final Function<Long, QueueOrder> queue;
    private final Set<Long> versionChecked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger recomputes = new AtomicInteger();

    LabelSpreading(Store store, String modelVersion) {
        this(store, modelVersion, project -> QueueOrder.SUMMARY);
    }

    /** {@code queue}: how each project's summary queue is worked; an adaptive one is reordered here as labels come in. */
    LabelSpreading(Store store, String modelVersion, Function<Long, QueueOrder> queue) {
        this.store = store;
        this.modelVersion = modelVersion;
        this.queue = queue;
    }

    /** True when the event is one propagation handles. */
    static boolean handles(String kind) {
        return WebhookAction.of(kind).filter(WebhookAction::changesAnnotations).isPresent();
    }

    /** Records what the event says of annotations, and what that changes in the wanted predictions. */
    public void apply(long project, JsonNode event) {
        apply(project, List.of(event));
    }

    /**
     * Records what each of these events of one project says of annotations, in order, then what they change in the
     * wanted predictions, once: a burst of labels costs one recompute of the project, not one a label.
     */
    public void apply(long project, List<JsonNode> events) {
        Set<Long> touched = new LinkedHashSet<>();
        for (JsonNode event : events) touched.addAll(record(project, event));
        if (touched.isEmpty()) return;
        recomputes.incrementAndGet();
        if (store.orders().hasGraph(project)) {
            // a label spreads along paths of similar tasks, beyond the tasks it is linked to
            Set<Long> all = everyTask(project);
            all.addAll(touched);
            recompute(project, all);
            return;
        }
        Set<Long> reached = new TreeSet<>();
        for (long t : touched) {
            reached.add(t); // a constituent labelled by a person is settled
            reached.addAll(store.orders().reachedBy(project, t));
            reached.addAll(store.orders().copiesOf(project, t));
        }
        recompute(project, reached);
    }

    /** Recomputes of wanted predictions after events, since start: for tests and figures. */
    int recomputes() {
        return recomputes.get();
    }

    /** Records what the event says of annotations; returns the tasks whose annotations changed. */
    private Set<Long> record(long project, JsonNode event) {
        WebhookAction kind = WebhookAction.of(event.path("action").asText()).orElse(null);
        // the label config is never taken from the event: anyone can post one; it comes from /setup and Label Studio's API
        Set<Long> touched = new LinkedHashSet<>();
        if (kind == WebhookAction.ANNOTATIONS_DELETED) {
            for (JsonNode a : event.path("annotations")) store.labels().delete(project, a.path("id").asLong()).ifPresent(touched::add);
        } else {
            JsonNode as = event.path("annotation");
            for (JsonNode a : as.isArray() ? as : List.of(as)) {
                JsonNode task = a.path("task");
                long taskId = task.isObject() ? task.path("id").asLong() : task.asLong();
                if (!a.hasNonNull("id") || taskId == 0) continue;
                String version = a.path("updated_at").asText("");
                if (store.labels().upsert(project, a.get("id").asLong(), taskId, a.path("result"),
                        a.path("was_cancelled").asBoolean(false), version)) {
                    touched.add(taskId);
                }
                // made from a prediction (Label Studio's "Create Annotations From Predictions"): an acceptance
                if (a.hasNonNull("parent_prediction") && !a.path("was_cancelled").asBoolean(false)
                        && store.labels().spreadLabel(project, taskId).isPresent()) {
                    store.labels().state(project, taskId, ReviewState.ACCEPTED);
                }
            }
        }
        return touched;
    }

    /** Recomputes every task: after a new order, links and neighbours may have changed. */
    void recomputeAll(long project) {
        if (store.labels().labelledTasks(project).isEmpty() && store.labels().spreadLabels(project).isEmpty()) return;
        recompute(project, everyTask(project));
    }

    /** The tasks of the order and those with a propagation row (which may have left it). */
    private Set<Long> everyTask(long project) {
        Set<Long> all = new TreeSet<>(store.orders().ordered(project));
        all.addAll(store.labels().spreadTasks(project));
        return all;
    }

    /** What is wanted on one task: {@code wanted} null for nothing. */
    private record Want(long task, LabelStore.Suggestion wanted, List<String> labels, Double score, Map<Long, Double> sources) {
        static Want nothing(long task) {
            return new Want(task, null, List.of(), null, Map.of());
        }
    }

    /** Wants are recorded this many a transaction: the store's lock is never held long. */
    static final int WANTS_PER_TRANSACTION = 500;

    /**
     * Sets what is wanted on each of these tasks from the annotations now known. What it reads
     * (rows, roles, sources, copies, annotations, the graph) is read for all tasks at once, so a whole
     * project costs a few queries, not a few per task; and only what changed is written to the store.
     */
    void recompute(long project, Collection<Long> tasks) {
        List<LabelConfig.Control> controls = LabelConfig.controls(store.projects().labelConfig(project).orElse(""));
        note(project, controls);
        List<Long> ids = List.copyOf(new LinkedHashSet<>(tasks));
        Map<Long, LabelStore.SpreadLabel> rows = store.labels().spreadLabels(project, ids);
        Map<Long, Role> roles = store.tasks().roles(project, ids);
        Map<Long, List<Long>> copies = store.orders().copies(project);
        Map<Long, Map<String, List<JsonNode>>> results = results(project);
        Spread spreadAll = spread(project, controls, results);
        Map<String, Map<Long, SpreadChoices.Choice>> spread = spreadAll.byControl();
        // spreading read every task's sources already
        Map<Long, List<OrderStore.Source>> sources = spreadAll.sources() != null ? spreadAll.sources() : store.orders().sources(project, ids);
        if (!spread.isEmpty() && queue.apply(project) == QueueOrder.ADAPTIVE) {
            // the first single choice decides what is uncertain; with the wants, in the event's transaction
            QueueFront.pick(store, project, spreadAll.choices(), spread.values().iterator().next(), results.keySet(), roles);
        }
        List<Want> wants = new ArrayList<>(ids.size());
        for (long c : ids) {
            LabelStore.SpreadLabel now = rows.get(c);
            ReviewState state = now == null ? ReviewState.PROPOSED : now.state();
            if (state == ReviewState.ACCEPTED) {
                // accepted: the annotation was made from it, so it stays as it is
                wants.add(new Want(c, now.written(), now.labels(), now.score(), now.sources()));
            } else if (results.containsKey(c)) {
                // a person labelled it: nothing is ever written to it, and a suggestion made before is
                // withdrawn, so what is left never depends on the order webhooks came in
                wants.add(Want.nothing(c));
            } else if (state == ReviewState.REJECTED) {
                // withdrawn, but what was proposed stays on record for the review page
                wants.add(new Want(c, null, now.labels(), now.score(), now.sources()));
            } else if (roles.get(c) == null) {
                wants.add(Want.nothing(c)); // not in the order: no image, or deleted
            } else {
                wants.add(want(c, roles.get(c) == Role.CONSTITUENT, controls, spread, sources.getOrDefault(c, List.of()),
                        copies.getOrDefault(c, List.of()), results));
            }
        }
        // the store compares too, but a whole project's rows compared here cost no query
        wants.removeIf(w -> unchanged(rows.get(w.task()), w));
        for (int from = 0; from < wants.size(); from += WANTS_PER_TRANSACTION) {
            List<Want> chunk = wants.subList(from, Math.min(wants.size(), from + WANTS_PER_TRANSACTION));
            store.transaction(() -> chunk.forEach(w -> store.labels().want(project, w.task(), w.wanted(), w.labels(),
                    w.score(), w.sources())));
        }
    }

    /** True when the stored row already wants this, so recording it again would change nothing. */
    private static boolean unchanged(LabelStore.SpreadLabel now, Want w) {
        if (now == null) return w.wanted() == null;
        return Objects.equals(now.wanted(), w.wanted()) && now.sources().equals(w.sources())
                && now.labels().equals(w.labels()) && Objects.equals(now.score(), w.score());
    }

    /**
     * Per single-choice control, the values spread over the stored neighbour graph; none before an order
     * was written with its graph (such a project takes its constituents' link vote until its next sync).
     */
    private Spread spread(long project, List<LabelConfig.Control> controls, Map<Long, Map<String, List<JsonNode>>> results) {
        List<LabelConfig.Control> single = controls.stream().filter(c -> CHOICES.contains(c.type()) && !c.multiple()).toList();
        if (single.isEmpty()) return Spread.NONE;
        Optional<OrderStore.StoredGraph> graph = store.orders().graph(project);
        if (graph.isEmpty()) return Spread.NONE;
        SpreadChoices choices = SpreadChoices.of(graph.get());
        Map<Long, List<OrderStore.Source>> sources = store.orders().sources(project);
        Map<String, Map<Long, SpreadChoices.Choice>> out = new LinkedHashMap<>();
        for (LabelConfig.Control c : single) out.put(c.name(), choices.spread(c, results, sources));
        return new Spread(choices, out, sources);
    }

    /** The stored graph, per single-choice control the values spread over it, and every task's sources (null for none). */
    private record Spread(SpreadChoices choices, Map<String, Map<Long, SpreadChoices.Choice>> byControl,
                          Map<Long, List<OrderStore.Source>> sources) {
        static final Spread NONE = new Spread(null, Map.of(), null);
    }

    private Want want(long c, boolean constituent, List<LabelConfig.Control> controls, Map<String, Map<Long, SpreadChoices.Choice>> spread,
                      List<OrderStore.Source> near, List<Long> copies, Map<Long, Map<String, List<JsonNode>>> results) {
        List<LabelVote.Source> sources = voters(near);
        ArrayNode result = Json.MAPPER.createArrayNode();
        List<String> labels = new ArrayList<>();
        Map<Long, Double> used = new LinkedHashMap<>();
        double confidence = 1;
        boolean any = false;
        for (LabelConfig.Control control : controls) {
            if (!CHOICES.contains(control.type())) continue;
            Map<Long, SpreadChoices.Choice> spreadHere = spread.get(control.name());
            if (spreadHere != null) {
                SpreadChoices.Choice choice = spreadHere.get(c);
                if (choice == null) continue;
                any = true;
                result.add(item(control, List.of(choice.value())));
                labels.add(choice.value());
                confidence = Math.min(confidence, choice.confidence());
                if (choice.source() != null) used.merge(choice.source(), 1.0, Math::max);
                continue;
            }
            if (!constituent) continue; // a delegate has no delegates to vote
            Optional<LabelVote.Proposal> p = LabelVote.propose(sources, votes(control, sources, results), control.multiple());
            if (p.isEmpty()) continue;
            any = true;
            result.add(item(control, p.get().values()));
            labels.addAll(p.get().values());
            confidence = Math.min(confidence, p.get().confidence());
            p.get().sources().forEach((d, w) -> used.merge(d, w, Math::max));
        }
        // regions only to near-duplicates: elsewhere the object need not be where the box is
        for (long copy : constituent ? copies : List.<Long>of()) {
            List<JsonNode> regions = new ArrayList<>();
            for (List<JsonNode> items : results.getOrDefault(copy, Map.of()).values()) {
                for (JsonNode item : items) if (REGIONS.contains(item.path("type").asText())) regions.add(item);
            }
            if (regions.isEmpty()) continue;
            for (JsonNode r : regions) {
                ObjectNode copyOf = r.deepCopy();
                copyOf.remove("id");
                copyOf.remove("parentID");
                result.add(copyOf);
                for (JsonNode v : r.path("value")) if (v.isArray()) v.forEach(x -> { if (x.isTextual() && !labels.contains(x.asText())) labels.add(x.asText()); });
            }
            confidence = Math.min(confidence, COPY_CONFIDENCE);
            used.put(copy, 1.0);
            any = true;
            break; // one labelled copy is enough: the others were labelled from the same image
        }
        if (!any) return Want.nothing(c);
        return new Want(c, new LabelStore.Suggestion(result, confidence), List.copyOf(labels), confidence, used);
    }

    /** The sources a constituent votes from, as the vote takes them. */
    static List<LabelVote.Source> voters(List<OrderStore.Source> near) {
        List<LabelVote.Source> out = new ArrayList<>();
        for (OrderStore.Source s : near) out.add(new LabelVote.Source(s.delegate(), s.linkWeight(), s.similarity()));
        return out;
    }

    /** Per labelled source, the values each person chose for the control. */
    static Map<Long, List<Set<String>>> votes(LabelConfig.Control control, List<LabelVote.Source> sources,
                                             Map<Long, Map<String, List<JsonNode>>> results) {
        Map<Long, List<Set<String>>> votes = new LinkedHashMap<>();
        for (LabelVote.Source s : sources) {
            List<Set<String>> byPerson = new ArrayList<>();
            for (JsonNode item : results.getOrDefault(s.delegate(), Map.of()).getOrDefault(control.name(), List.of())) {
                Set<String> values = values(control, item);
                if (!values.isEmpty()) byPerson.add(values);
            }
            if (!byPerson.isEmpty()) votes.put(s.delegate(), byPerson);
        }
        return votes;
    }

    /** Every labelled task's live annotation results by control name; every person's annotation counts. */
    private Map<Long, Map<String, List<JsonNode>>> results(long project) {
        Map<Long, Map<String, List<JsonNode>>> out = new LinkedHashMap<>();
        for (LabelStore.Annotation a : store.labels().annotations(project)) {
            Map<String, List<JsonNode>> byControl = out.computeIfAbsent(a.task(), t -> new LinkedHashMap<>());
            for (JsonNode item : a.result()) {
                byControl.computeIfAbsent(item.path("from_name").asText(), k -> new ArrayList<>()).add(item);
            }
        }
        return out;
    }

    static Set<String> values(LabelConfig.Control control, JsonNode item) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode v = item.path("value").path(control.type());
        for (JsonNode x : v) {
            if (x.isArray()) { // a taxonomy path
                List<String> path = new ArrayList<>();
                x.forEach(p -> path.add(p.asText()));
                out.add(String.join(" / ", path));
            } else {
                out.add(x.asText());
            }
        }
        return out;
    }

    static ObjectNode item(LabelConfig.Control control, List<String> values) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("from_name", control.name());
        item.put("to_name", control.toName());
        item.put("type", control.type());
        ArrayNode vs = item.putObject("value").putArray(control.type());
        for (String v : values) {
            if (control.type().equals("taxonomy")) {
                ArrayNode path = vs.addArray();
                for (String p : v.split(" / ")) path.add(p);
            } else {
                vs.add(v);
            }
        }
        return item;
    }

    /** Says once, in the project's status, which control tags are not propagated. */
    private void note(long project, List<LabelConfig.Control> controls) {
        List<String> unsupported = controls.stream()
                .filter(c -> !CHOICES.contains(c.type()) && !REGIONS.contains(c.type()))
                .map(c -> c.name() + " (" + c.type() + ")").toList();
        store.projects().propagationNote(project, unsupported.isEmpty() ? null
                : "not propagated: " + String.join(", ", unsupported) + "; only Choices, Taxonomy and region labels are");
    }

    /**
     * Brings Label Studio in line with what is wanted, one write a task at most: creates in bulk,
     * changes and removes one by one, recording each outcome. Rows whose prediction in Label Studio
     * is not known (left uncertain by a crash, or created by a bulk import whose ids could not be
     * read back) are first checked against what Label Studio holds, many tasks a request. Returns
     * the tasks written; throws {@link LabelStudioException} when Label Studio cannot be reached,
     * leaving the rest to write.
     */
    public int flush(long project, LabelStudioClient client) {
        int written = 0;
        List<LabelStore.SpreadLabel> rows;
        while (!(rows = store.labels().toWrite(project, 500)).isEmpty()) {
            List<LabelStore.SpreadLabel> unknown = rows.stream()
                    .filter(p -> p.uncertain() || (p.written() != null && p.predictionId() == null)).toList();
            Map<Long, List<Prediction>> held = unknown.isEmpty() ? Map.of()
                    : client.predictions(project, unknown.stream().map(LabelStore.SpreadLabel::task).toList());
            List<LabelStore.SpreadLabel> creates = new ArrayList<>();
            for (LabelStore.SpreadLabel p : rows) {
                if (unknown.contains(p)) {
                    if (!reconcile(project, p, held.getOrDefault(p.task(), List.of()), client)) {
                        creates.add(p);
                        continue;
                    }
                } else if (p.wanted() == null) {
                    if (p.predictionId() != null) {
                        store.labels().beginWrite(project, List.of(p.task()));
                        client.deletePrediction(p.predictionId());
                    }
                    store.labels().written(project, p.task(), null, null);
                } else if (p.predictionId() != null) {
                    store.labels().beginWrite(project, List.of(p.task()));
                    client.updatePrediction(p.predictionId(), prediction(project, p.task(), p.wanted()));
                    store.labels().written(project, p.task(), p.wanted(), p.predictionId());
                } else {
                    creates.add(p);
                    continue;
                }
                written++;
            }
            written += create(project, creates, client);
        }
        return written;
    }

    /**
     * One request for a single prediction (its answer has the id); for more, one bulk import, whose
     * answer has a count only, and the ids read back in one request a hundred tasks.
     */
    private int create(long project, List<LabelStore.SpreadLabel> creates, LabelStudioClient client) {
        if (creates.isEmpty()) return 0;
        List<Long> tasks = creates.stream().map(LabelStore.SpreadLabel::task).toList();
        store.labels().beginWrite(project, tasks);
        Map<Long, Long> ids = new LinkedHashMap<>();
        if (creates.size() == 1) {
            LabelStore.SpreadLabel p = creates.get(0);
            ids.put(p.task(), client.createPrediction(prediction(project, p.task(), p.wanted())).id());
        } else {
            List<Prediction> bulk = new ArrayList<>();
            for (LabelStore.SpreadLabel p : creates) bulk.add(prediction(project, p.task(), p.wanted()));
            client.importPredictions(project, bulk);
            client.predictions(project, tasks).forEach((task, held) -> held.stream()
                    .filter(x -> modelVersion.equals(x.modelVersion())).map(Prediction::id).max(Long::compare)
                    .ifPresent(id -> ids.put(task, id)));
        }
        showPredictions(project, client);
        for (LabelStore.SpreadLabel p : creates) store.labels().written(project, p.task(), p.wanted(), ids.get(p.task()));
        return creates.size();
    }

    /**
     * Makes Label Studio hold exactly what is wanted on one task, given the predictions it holds
     * there, whatever a crash left: at most one of Exemplar's predictions, the wanted one, with its
     * id recorded. False when the wanted prediction is still to be created.
     */
    private boolean reconcile(long project, LabelStore.SpreadLabel p, List<Prediction> held, LabelStudioClient client) {
        List<Prediction> ours = held.stream().filter(x -> modelVersion.equals(x.modelVersion())).toList();
        Long keep = null;
        for (Prediction x : ours) {
            if (keep == null && p.wanted() != null) {
                keep = x.id();
                if (!same(x, p.wanted())) client.updatePrediction(x.id(), prediction(project, p.task(), p.wanted()));
            } else {
                client.deletePrediction(x.id());
            }
        }
        if (keep == null && p.wanted() != null) return false;
        store.labels().written(project, p.task(), p.wanted(), keep);
        return true;
    }

    /**
     * Label Studio shows, and the review tab orders by, the predictions of the project's model
     * version. Once Exemplar's predictions exist, the project is switched to their version when it
     * shows none (empty) or this backend live (the title of a backend that answered this version to
     * /setup, under which Label Studio would otherwise average no scores); a version someone chose
     * is left alone. Checked once a project while this process runs.
     */
    private void showPredictions(long project, LabelStudioClient client) {
        if (!versionChecked.add(project)) return;
        try {
            String current = client.project(project).modelVersion();
            if (modelVersion.equals(current)) return;
            boolean ourTitle = current != null && client.mlBackends(project).stream()
                    .anyMatch(b -> current.equals(b.title()) && modelVersion.equals(b.modelVersion()));
            if (current == null || current.isEmpty() || ourTitle) client.setModelVersion(project, modelVersion);
        } catch (LabelStudioException e) {
            if (e.status() >= 400 && e.status() < 500) {
                LOG.warn("project {}: Label Studio would not show Exemplar's predictions: {}", project, e.getMessage());
                return;
            }
            versionChecked.remove(project); // not reached: tried again after the next creation
            throw e;
        }
    }

    private static boolean same(Prediction x, LabelStore.Suggestion wanted) {
        return wanted.result().equals(x.result()) && x.score() != null && Math.abs(x.score() - wanted.score()) < 1e-9;
    }

    /** The prediction to send; with its project, which Label Studio otherwise looks up and warns about. */
    Prediction prediction(long project, long task, LabelStore.Suggestion wanted) {
        return new Prediction(null, task, project, (ArrayNode) wanted.result(), wanted.score(), modelVersion, null, null, null);
    }
}
