package dev.exemplar.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.exemplar.features.FeatureCodec;
import dev.exemplar.features.ImageFeatures;
import dev.exemplar.image.Thumbnails;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.LabelStudioException;
import dev.exemplar.labelstudio.Prediction;
import dev.exemplar.store.FeatureStore;
import dev.exemplar.store.LabelStore;
import dev.exemplar.store.ReviewState;
import dev.exemplar.store.Role;
import dev.exemplar.store.Store;
import dev.exemplar.store.TaskStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The review page's data and actions over the store and Label Studio. Accepting creates the
 * annotation with the reviewer's own token; rejecting withdraws the prediction and puts the
 * constituent in the summary queue, so a person labels it.
 */
public final class ProjectReview implements Review {
    static final int THUMBNAIL_SIDE = 160;

    private final Store store;
    private final SyncService sync;
    private final Cache<String, byte[]> thumbnails = Caffeine.newBuilder().maximumWeight(32L << 20)
            .weigher((String k, byte[] v) -> v.length).build();

    public ProjectReview(Store store, SyncService sync) {
        this.store = store;
        this.sync = sync;
    }

    /** A page of delegates and their constituents, read from the store a page at a time. */
    @Override
    public Optional<Page> page(long project, Query q) {
        if (store.projects().get(project).isEmpty()) return Optional.empty();
        Map<Long, List<LabelStore.Reviewed>> page = store.labels().review(project, q.label(), q.minConfidence(), q.maxConfidence(),
                q.offset(), q.limit());
        Map<Long, TaskStore.Task> delegates = new LinkedHashMap<>();
        for (long d : page.keySet()) store.tasks().get(project, d).ifPresent(t -> delegates.put(d, t));
        List<Group> groups = new ArrayList<>();
        page.forEach((delegate, rows) -> {
            TaskStore.Task d = delegates.get(delegate);
            List<Proposal> cs = rows.stream().map(r -> new Proposal(r.task(), r.labels(), r.confidence(), r.state().text())).toList();
            groups.add(new Group(delegate, d == null || d.rank() == null ? -1 : d.rank() + 1, delegateLabels(project, delegate), cs));
        });
        LabelStore.ReviewCounts counts = store.labels().reviewCounts(project);
        int total = store.labels().reviewDelegates(project, q.label(), q.minConfidence(), q.maxConfidence());
        return Optional.of(new Page(List.copyOf(groups), total, new Counters(store.labels().labelledDelegates(project),
                counts.proposed() + counts.accepted() + counts.rejected(), counts.accepted(), counts.rejected()),
                store.labels().reviewLabels(project)));
    }

    private List<String> delegateLabels(long project, long delegate) {
        List<String> out = new ArrayList<>();
        for (LabelStore.Annotation a : store.labels().annotations(project, delegate)) {
            for (JsonNode item : a.result()) {
                for (JsonNode v : item.path("value")) {
                    if (!v.isArray()) continue;
                    for (JsonNode x : v) {
                        String s = x.isArray() ? String.join(" / ", strings(x)) : x.asText();
                        if (!out.contains(s)) out.add(s);
                    }
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    @Override
    public Optional<byte[]> thumbnail(long project, long task) {
        Optional<String> hash = store.tasks().get(project, task).map(TaskStore.Task::contentHash);
        if (hash.isEmpty()) return Optional.empty();
        return Optional.ofNullable(thumbnails.get(hash.get(), h -> {
            FeatureStore.Global f = store.features().globals(List.of(h), FeatureCodec.FORMAT).get(h);
            if (f == null) return null;
            ImageFeatures features = FeatureCodec.decode(f.descriptor(), f.thumbnail(), null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(Thumbnails.preview(features.thumbnail(), features.aspect(), THUMBNAIL_SIDE), "jpg", out);
            } catch (IOException e) {
                return null;
            }
            return out.toByteArray();
        }));
    }

    @Override
    public void accept(long project, long task, String reviewerToken) {
        LabelStore.SpreadLabel p = pending(project, task);
        LabelStudioClient plugin = sync.client(project)
                .orElseThrow(() -> new ReviewException(503, "Label Studio's address for project " + project + " is not known yet"));
        LabelStudioClient reviewer = LabelStudioClient.builder(plugin.baseUrl().toString(), reviewerToken).maxRetries(1).build();
        ArrayNode result = (ArrayNode) p.wanted().result();
        Long prediction = p.predictionId();
        // accepted first: the webhook of the new annotation may be handled before Label Studio answers
        sync.onEventsThread(() -> {
            store.labels().state(project, task, ReviewState.ACCEPTED);
            return null;
        });
        try {
            if (prediction == null) {
                String version = store.projects().get(project).map(pr -> pr.modelVersion()).orElse("");
                prediction = plugin.predictions(task).stream().filter(x -> version.equals(x.modelVersion()))
                        .map(Prediction::id).findFirst().orElse(null);
            }
            reviewer.createAnnotation(task, result, prediction);
        } catch (LabelStudioException e) {
            sync.onEventsThread(() -> {
                store.labels().state(project, task, ReviewState.PROPOSED);
                return null;
            });
            int status = e.status() == 401 || e.status() == 403 ? 401 : 502;
            throw new ReviewException(status, status == 401 ? "Label Studio refused your token: sign in again with a valid personal access token"
                    : "Label Studio did not take the annotation: " + e.getMessage());
        }
    }

    @Override
    public void reject(long project, long task) {
        pending(project, task);
        LabelStudioClient plugin = sync.client(project)
                .orElseThrow(() -> new ReviewException(503, "Label Studio's address for project " + project + " is not known yet"));
        sync.onEventsThread(() -> {
            store.labels().state(project, task, ReviewState.REJECTED);
            sync.spreading().recompute(project, List.of(task));
            return null;
        });
        // back in the summary queue: a person labels it
        try {
            ObjectNode role = Json.MAPPER.createObjectNode().put(ProjectSync.ROLE, Role.DELEGATE.text());
            plugin.updateTaskData(task, role);
        } catch (LabelStudioException e) {
            throw new ReviewException(502, "rejected, but Label Studio did not take the task back into the queue: " + e.getMessage()
                    + "; the next sync will");
        }
        sync.changed(); // the writer withdraws the prediction
    }

    private LabelStore.SpreadLabel pending(long project, long task) {
        LabelStore.SpreadLabel p = store.labels().spreadLabel(project, task)
                .orElseThrow(() -> new ReviewException(404, "task " + task + " has no propagated label in project " + project));
        if (p.state() != ReviewState.PROPOSED) throw new ReviewException(409, "task " + task + " was already " + p.state());
        if (p.wanted() == null) throw new ReviewException(409, "task " + task + " has no propagated label now");
        return p;
    }
}
