package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.labelstudio.standin.StandInState.MlBackend;
import dev.exemplar.labelstudio.standin.StandInState.Prediction;
import dev.exemplar.labelstudio.standin.StandInState.Project;
import dev.exemplar.labelstudio.standin.StandInState.Task;
import dev.exemplar.labelstudio.standin.StandInState.TaskLock;
import dev.exemplar.labelstudio.standin.StandInState.User;
import dev.exemplar.labelstudio.standin.StandInState.Webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Behaviour shared by several routes: webhook fan-out, the ML-backend round trips
 * (health, setup, predict) and the next-task choice. Each method takes the state lock only around
 * reads and writes, never around network calls.
 */
final class Operations {
    final StandInState s;
    final Serializers ser;
    final TaskQuery query;
    final Outbound out;
    volatile Duration lockTtl = Duration.ofDays(1);
    /** LS {@code ML_TIMEOUT_*} settings, in seconds of read timeout. */
    volatile Duration mlHealthTimeout = Duration.ofSeconds(1), mlSetupTimeout = Duration.ofSeconds(3);
    private final Random random = new Random(7);

    Operations(StandInState s, Serializers ser, TaskQuery query, Outbound out) {
        this.s = s;
        this.ser = ser;
        this.query = query;
        this.out = out;
    }

    // ----- webhooks -----

    record Delivery(String url, Map<String, String> headers, ObjectNode body) {}

    /**
     * Builds the deliveries of one event (call under the lock): every active webhook of the project
     * (and organisation-wide ones) that sends all actions or lists this one, in id order. With
     * {@code send_payload=false} only {@code {"action"}} is sent.
     */
    List<Delivery> event(long projectId, String action, Supplier<ObjectNode> payload) {
        List<Delivery> list = new ArrayList<>();
        ObjectNode full = null;
        for (Webhook w : s.webhooksOf(projectId)) {
            if (!w.isActive || !(w.sendForAllActions || w.actions.contains(action))) continue;
            ObjectNode body = StandInState.object().put("action", action);
            if (w.sendPayload) {
                if (full == null) full = payload.get();
                body.setAll(full.deepCopy());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            w.headers.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            list.add(new Delivery(w.url, headers, body));
        }
        return list;
    }

    /** Sends deliveries one by one: one attempt each, 1 s timeout, errors swallowed. */
    void deliver(List<Delivery> deliveries) {
        for (Delivery d : deliveries) out.webhook(d.url, d.headers, d.body);
    }

    // ----- ML backends -----

    /**
     * LS {@code MLBackend.update_state()}: {@code GET /health}, then {@code POST /setup}; sets the
     * state ({@code CO}/{@code DI}/{@code ER}) and, with {@code auto_update}, the model version.
     */
    void updateState(long backendId) {
        MlBackend m;
        String url, user, pass;
        ObjectNode setupBody;
        synchronized (s) {
            m = s.mlBackends.get(backendId);
            if (m == null) return;
            url = m.url;
            user = m.basicAuthUser;
            pass = m.basicAuthPass;
            setupBody = setupBody(m);
        }
        Outbound.MlResult health = out.ml(url, "health", null, mlHealthTimeout, user, pass);
        if (!health.ok()) {
            synchronized (s) {
                m.state = "DI";
                m.errorMessage = health.error();
                m.updatedAt = s.now();
            }
            return;
        }
        Outbound.MlResult setup = out.ml(url, "setup", setupBody, mlSetupTimeout, user, pass);
        synchronized (s) {
            if (setup.ok()) {
                m.state = "CO";
                m.errorMessage = null;
                if (m.autoUpdate && setup.body().hasNonNull("model_version")) m.modelVersion = setup.body().get("model_version").asText();
            } else {
                m.state = "ER";
                m.errorMessage = setup.error();
            }
            m.updatedAt = s.now();
        }
    }

    /** Only {@code /health}, as the ML serializer's own validation does. */
    void healthOnly(String url) {
        out.ml(url, "health", null, mlHealthTimeout, null, null);
    }

    ObjectNode setupBody(MlBackend m) {
        Project p = s.projects.get(m.project);
        ObjectNode b = StandInState.object();
        b.put("project", p.mlProjectKey());
        b.put("schema", p.labelConfig());
        b.put("hostname", "http://localhost:8080");
        b.put("access_token", s.users.get(p.createdBy).legacyToken);
        b.set("extra_params", m.extraParams == null ? StandInState.JSON.nullNode() : m.extraParams.deepCopy());
        return b;
    }

    ObjectNode predictBody(Project p, List<Task> tasks, JsonNode context) {
        ObjectNode b = StandInState.object();
        ArrayNode arr = b.putArray("tasks");
        for (Task t : tasks) arr.add(ser.taskSimple(t, true));
        b.put("project", p.mlProjectKey());
        b.put("label_config", p.labelConfig());
        ObjectNode params = b.putObject("params");
        params.set("login", p.settings.path("task_data_login").deepCopy());
        params.set("password", p.settings.path("task_data_password").deepCopy());
        params.set("context", context == null ? StandInState.JSON.nullNode() : context);
        return b;
    }

    /**
     * LS {@code MLBackend.predict_tasks}: update the state, drop tasks already predicted with the
     * current model version, send the rest in one {@code /predict}, and store what comes back if
     * the answer follows the rules (a non-empty {@code results} list as long as the task list; one
     * result for several tasks means one call per task). Returns the number of predictions stored.
     */
    int predictTasks(long projectId, List<Long> taskIds, Long userId) {
        int stored = 0;
        List<Long> backends;
        synchronized (s) {
            backends = s.mlBackendsOf(projectId).stream().map(m -> m.id).toList();
        }
        for (long backendId : backends) {
            updateState(backendId);
            MlBackend m;
            List<Task> todo = new ArrayList<>();
            ObjectNode body;
            synchronized (s) {
                m = s.mlBackends.get(backendId);
                if (m == null || !m.state.equals("CO")) continue;
                for (long id : taskIds) {
                    Task t = s.tasks.get(id);
                    if (t == null) continue;
                    boolean done = s.predictionsOf(id).stream().anyMatch(p -> p.modelVersion.equals(m.modelVersion));
                    if (!done) todo.add(t);
                }
                if (todo.isEmpty()) continue;
                body = predictBody(s.projects.get(projectId), todo, null);
            }
            Outbound.MlResult r = out.ml(m.url, "predict", body, Duration.ofMillis((long) (m.timeout * 1000)), m.basicAuthUser, m.basicAuthPass);
            if (!r.ok()) continue;
            JsonNode results = r.body().path("results");
            if (!results.isArray() || results.isEmpty()) continue;
            if (results.size() != todo.size()) {
                if (results.size() == 1 && todo.size() > 1) {
                    for (Task t : todo) stored += predictTasks(projectId, List.of(t.id), userId);
                }
                continue;
            }
            synchronized (s) {
                for (int i = 0; i < todo.size(); i++) {
                    JsonNode item = results.get(i);
                    List<JsonNode> preds = new ArrayList<>();
                    if (item.isArray()) item.forEach(preds::add); else preds.add(item);
                    for (JsonNode p : preds) {
                        if (!p.isObject() || !p.has("result")) {
                            // LS ml/models.py logs this at ERROR level for every such item, and stores nothing
                            s.errorLog.add("ML backend returns an incorrect prediction, it should be a dict with the 'result' field: " + p);
                            continue;
                        }
                        createPrediction(todo.get(i), p, m.modelVersion, userId);
                        stored++;
                    }
                }
            }
        }
        return stored;
    }

    /** Stores a prediction (call under the lock); like LS it marks the task updated by the caller. */
    Prediction createPrediction(Task t, JsonNode body, String defaultModelVersion, Long userId) {
        Prediction p = new Prediction(s.nextPredictionId(), t.id, t.project, s.now());
        p.result = body.path("result").isArray() ? body.get("result").deepCopy() : StandInState.array();
        p.modelVersion = body.hasNonNull("model_version") ? body.get("model_version").asText() : defaultModelVersion;
        p.score = body.hasNonNull("score") ? body.get("score").asDouble() : null;
        p.cluster = body.hasNonNull("cluster") ? body.get("cluster") : null;
        p.neighbors = body.hasNonNull("neighbors") ? body.get("neighbors") : null;
        p.mislabeling = body.path("mislabeling").asDouble(0.0);
        s.predictions.put(p.id, p);
        s.touch(t, userId);
        return p;
    }

    // ----- next task -----

    record Next(Task task, String lockId, String queue) {}

    /**
     * LS {@code get_next_task} (PROTOCOL B.8, captures 60-67). {@code prepared} is the project's tasks
     * already filtered and ordered (by a view, the request body, or id). With {@code dmQueue}
     * ("Label Tasks As Displayed": the body carried filters, ordering or selectedItems) the answer is
     * the first unsolved task in that order, locks are neither checked nor taken. Otherwise: the
     * user's live lock if its task is still unsolved, else the project's sampling over the prepared
     * order, skipping tasks locked by others, and the chosen task is locked for the user.
     */
    Next next(User user, Project p, List<Task> prepared, boolean dmQueue) {
        List<Task> pool = new ArrayList<>();
        for (Task t : prepared) {
            boolean mine = s.annotationsOf(t.id).stream().anyMatch(a -> a.completedBy == user.id);
            if (!mine && !s.isLabeled(t)) pool.add(t);
        }
        if (dmQueue) {
            return pool.isEmpty() ? null : new Next(pool.get(0), null, "Data manager queue");
        }
        var own = s.liveLockOfUser(user.id, p.id);
        if (own.isPresent()) {
            for (Task t : pool) if (t.id == own.get().task) return new Next(t, own.get().uniqueId, "Task lock");
        }
        List<Task> unlocked = new ArrayList<>();
        for (Task t : pool) if (s.liveLock(t.id, user.id).isEmpty()) unlocked.add(t);
        if (unlocked.isEmpty()) return null;
        Task chosen;
        String queue;
        switch (p.sampling()) {
            case "Uniform sampling" -> {
                chosen = unlocked.get(random.nextInt(unlocked.size()));
                queue = "Uniform queue";
            }
            case "Uncertainty sampling" -> {
                String mv = p.modelVersion();
                List<Task> scored = new ArrayList<>();
                for (Task t : unlocked) if (s.predictionsOf(t.id).stream().anyMatch(x -> x.modelVersion.equals(mv))) scored.add(t);
                if (scored.isEmpty()) {
                    chosen = unlocked.get(random.nextInt(unlocked.size()));
                    queue = "Uniform queue";
                } else {
                    scored.sort(Comparator.comparingDouble(t -> minScore(t, mv)));
                    chosen = scored.get(0);
                    queue = "Active learning or random queue";
                }
            }
            default -> {
                chosen = unlocked.get(0);
                queue = "Sequence queue";
            }
        }
        TaskLock lock = s.setLock(chosen.id, user.id, lockTtl);
        return new Next(chosen, lock.uniqueId, queue);
    }

    private double minScore(Task t, String mv) {
        double best = Double.MAX_VALUE;
        for (Prediction x : s.predictionsOf(t.id)) if (x.modelVersion.equals(mv) && x.score != null) best = Math.min(best, x.score);
        return best;
    }
}
