package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The seeding API: puts the stand-in into a known state without going through HTTP. Ids come
 * from the same counters the REST API uses. Seeding fires no webhooks.
 */
public final class Seed {
    /** A seeded user with its credentials. */
    public record SeededUser(long id, String email, String legacyToken, LabelStudioStandIn ls) {
        /** A new personal access token (JWT refresh token). */
        public String personalAccessToken() { return ls.auth.issuePat(id); }

        /** An access token as {@code /api/token/refresh/} would give, for {@code Bearer}. */
        public String accessToken() { return ls.auth.issueAccess(id); }

        /** A browser session id, sent as cookie {@code sessionid}. */
        public String session() { return ls.auth.newSession(id); }
    }

    private final LabelStudioStandIn ls;

    Seed(LabelStudioStandIn ls) {
        this.ls = ls;
    }

    public SeededUser user(String email) {
        synchronized (ls.state) {
            StandInState.User u = new StandInState.User(ls.state.nextUserId(), email, Auth.randomKey(), ls.state.now());
            ls.state.users.put(u.id, u);
            return new SeededUser(u.id, email, u.legacyToken, ls);
        }
    }

    /** Organisation switch for {@code Authorization: Token}; off in a fresh LS 1.23 organisation. */
    public Seed legacyTokensEnabled(boolean enabled) {
        synchronized (ls.state) { ls.state.legacyTokensEnabled = enabled; }
        return this;
    }

    public long project(SeededUser owner, String labelConfig) {
        return project(owner, Map.of("title", "Project", "label_config", labelConfig));
    }

    /** A project with any LS project fields ({@code label_config}, {@code sampling}, ...). */
    public long project(SeededUser owner, Map<String, ?> fields) {
        synchronized (ls.state) {
            ObjectNode b = StandInState.JSON.valueToTree(fields);
            return new ProjectRoutes(ls).createProject(ls.state.users.get(owner.id()), b).id;
        }
    }

    /** Imports tasks given as their {@code data} objects; returns the new task ids in order. */
    public List<Long> importTasks(long project, List<? extends Map<String, ?>> datas) {
        ArrayNode items = StandInState.array();
        for (Map<String, ?> d : datas) items.addObject().set("data", StandInState.JSON.valueToTree(d));
        return importRaw(project, items);
    }

    /** Imports tasks in LS's import format ({@code {"data", "meta", "predictions", "annotations"}}). */
    public List<Long> importRaw(long project, JsonNode items) {
        synchronized (ls.state) {
            var r = new ProjectRoutes(ls).importTasks(ls.project(project), items, null);
            List<Long> ids = new ArrayList<>();
            r.tasks().forEach(t -> ids.add(t.id));
            return ids;
        }
    }

    /** Serves {@code bytes} at {@code /data/upload/<path>} (e.g. {@code "1/abc-photo.jpg"}). */
    public String upload(String path, byte[] bytes) {
        synchronized (ls.state) { ls.state.uploads.put(path, bytes); }
        return "/data/upload/" + path;
    }

    /** The first {@code count} images of the bundled rooms sample uploaded to the project, as tasks' data to import. */
    public List<Map<String, ?>> roomsSample(long project, int count) throws IOException {
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/rooms/images"))) {
            for (Path p : files.sorted().limit(count).toList()) {
                datas.add(Map.of("image", upload(project + "/" + p.getFileName(), Files.readAllBytes(p))));
            }
        }
        return datas;
    }

    public long prediction(long task, String modelVersion, Double score, JsonNode result) {
        synchronized (ls.state) {
            ObjectNode b = StandInState.object().put("model_version", modelVersion);
            if (score != null) b.put("score", score);
            b.set("result", result);
            return ls.ops.createPrediction(ls.task(task), b, modelVersion, null).id;
        }
    }

    public long annotation(long task, SeededUser by, JsonNode result, boolean wasCancelled) {
        synchronized (ls.state) {
            StandInState.Task t = ls.task(task);
            StandInState.Annotation a = new StandInState.Annotation(ls.state.nextAnnotationId(), t.id, t.project, by.id(), ls.state.now());
            a.result = result;
            a.wasCancelled = wasCancelled;
            ls.state.annotations.put(a.id, a);
            ls.state.touch(t, by.id());
            return a.id;
        }
    }

    /** The body Label Studio's webhook would send for this annotation's creation. */
    public com.fasterxml.jackson.databind.node.ObjectNode annotationCreatedEvent(long annotation) {
        synchronized (ls.state) {
            com.fasterxml.jackson.databind.node.ObjectNode o = new ProjectRoutes(ls).annotationPayload(ls.state.annotations.get(annotation));
            com.fasterxml.jackson.databind.node.ObjectNode out = StandInState.object().put("action", "ANNOTATION_CREATED");
            out.setAll(o);
            return out;
        }
    }

    /** A Data Manager view; {@code data} as LS stores it (title, filters, ordering, ...). */
    public long view(long project, SeededUser by, JsonNode data) {
        synchronized (ls.state) { return new DataManagerRoutes(ls).createView(project, by.id(), data).id; }
    }

    /** A project webhook sending every action with its payload. */
    public long webhook(long project, String url) {
        synchronized (ls.state) {
            StandInState.Webhook w = new StandInState.Webhook(ls.state.nextWebhookId(), project, ls.state.now());
            w.url = url;
            ls.state.webhooks.put(w.id, w);
            return w.id;
        }
    }
}
