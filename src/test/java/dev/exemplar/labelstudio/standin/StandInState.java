package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The in-memory database of the stand-in: one organisation, its users, projects, tasks,
 * predictions, annotations, Data Manager views, webhooks, ML backends and task locks.
 *
 * <p>Ids are assigned from one counter per table starting at 1, as in a fresh Label Studio
 * database, so a scenario replayed from scratch gets the ids Label Studio gave it. Callers
 * synchronise on this object; nothing here performs I/O.
 */
final class StandInState {

    static final ObjectMapper JSON = Json.MAPPER;

    // ----- records -----

    static final class User {
        final long id;
        final String email;
        final String legacyToken;
        final Instant dateJoined;
        String firstName = "";
        String lastName = "";
        Instant lastActivity;

        User(long id, String email, String legacyToken, Instant joined) {
            this.id = id;
            this.email = email;
            this.legacyToken = legacyToken;
            this.dateJoined = joined;
            this.lastActivity = joined;
        }

        String initials() {
            if (!firstName.isEmpty() && !lastName.isEmpty()) {
                return ("" + firstName.charAt(0) + lastName.charAt(0)).toLowerCase();
            }
            return email.substring(0, Math.min(2, email.length()));
        }
    }

    static final class Project {
        final long id;
        final long createdBy;
        final Instant createdAt;
        Instant updatedAt;
        /** Every field the client may set (title, label_config, sampling, ...), as LS stores them. */
        final ObjectNode settings;
        /** Data keys learnt from imports: the Data Manager's data columns (LS project summary). */
        final Set<String> dataColumns = new LinkedHashSet<>();
        int nextInnerId = 1;

        Project(long id, long createdBy, Instant createdAt, ObjectNode settings) {
            this.id = id;
            this.createdBy = createdBy;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.settings = settings;
        }

        String labelConfig() { return settings.path("label_config").asText(""); }
        String modelVersion() { return settings.path("model_version").asText(""); }
        String sampling() { return settings.path("sampling").asText("Sequential sampling"); }
        int maximumAnnotations() { return settings.path("maximum_annotations").asInt(1); }
        boolean showCollabPredictions() { return settings.path("show_collab_predictions").asBoolean(true); }

        /** LS sends {@code "<id>.<created_at unix seconds>"} as the project to an ML backend. */
        String mlProjectKey() { return id + "." + createdAt.getEpochSecond(); }
    }

    static final class Task {
        final long id;
        final long project;
        final long innerId;
        final Instant createdAt;
        Instant updatedAt;
        Long updatedBy;
        ObjectNode data;
        JsonNode meta;
        Long fileUpload;

        Task(long id, long project, long innerId, Instant createdAt, ObjectNode data, JsonNode meta) {
            this.id = id;
            this.project = project;
            this.innerId = innerId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.data = data;
            this.meta = meta;
        }
    }

    static final class Prediction {
        final long id;
        final long task;
        final long project;
        final Instant createdAt;
        Instant updatedAt;
        JsonNode result;
        String modelVersion;
        Double score;
        JsonNode cluster;
        JsonNode neighbors;
        double mislabeling;

        Prediction(long id, long task, long project, Instant createdAt) {
            this.id = id;
            this.task = task;
            this.project = project;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class Annotation {
        final long id;
        final long task;
        final long project;
        final long completedBy;
        final Instant createdAt;
        Instant updatedAt;
        long updatedBy;
        JsonNode result;
        boolean wasCancelled;
        boolean groundTruth;
        Double leadTime;
        final String uniqueId = UUID.randomUUID().toString();

        Annotation(long id, long task, long project, long completedBy, Instant createdAt) {
            this.id = id;
            this.task = task;
            this.project = project;
            this.completedBy = completedBy;
            this.updatedBy = completedBy;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class View {
        final long id;
        final long project;
        final long user;
        int order;
        ObjectNode data;

        View(long id, long project, long user, int order, ObjectNode data) {
            this.id = id;
            this.project = project;
            this.user = user;
            this.order = order;
            this.data = data;
        }
    }

    static final class Webhook {
        final long id;
        final Long project;
        final Instant createdAt;
        Instant updatedAt;
        String url;
        boolean sendPayload = true;
        boolean sendForAllActions = true;
        ObjectNode headers = JSON.createObjectNode();
        boolean isActive = true;
        List<String> actions = new ArrayList<>();

        Webhook(long id, Long project, Instant createdAt) {
            this.id = id;
            this.project = project;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class MlBackend {
        final long id;
        final long project;
        final Instant createdAt;
        Instant updatedAt;
        String url;
        String title = "default";
        String description = "";
        boolean isInteractive;
        String authMethod = "NONE";
        String basicAuthUser = "";
        String basicAuthPass;
        JsonNode extraParams;
        double timeout = 100.0;
        boolean autoUpdate = true;
        String state = "DI";
        String errorMessage;
        String modelVersion = "";

        MlBackend(long id, long project, Instant createdAt) {
            this.id = id;
            this.project = project;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class TaskLock {
        final long task;
        final long user;
        final String uniqueId = UUID.randomUUID().toString();
        Instant expireAt;

        TaskLock(long task, long user, Instant expireAt) {
            this.task = task;
            this.user = user;
            this.expireAt = expireAt;
        }
    }

    // ----- tables -----

    final Map<Long, User> users = new LinkedHashMap<>();
    final Map<Long, Project> projects = new LinkedHashMap<>();
    final Map<Long, Task> tasks = new LinkedHashMap<>();
    final Map<Long, Prediction> predictions = new LinkedHashMap<>();
    final Map<Long, Annotation> annotations = new LinkedHashMap<>();
    final Map<Long, View> views = new LinkedHashMap<>();
    final Map<Long, Webhook> webhooks = new LinkedHashMap<>();
    /** What LS logs at ERROR level about a peer's answers (e.g. a /predict item without "result"). */
    final List<String> errorLog = new ArrayList<>();
    /** PATCH /api/tasks/{id} requests received, for tests of how many writes a sync makes. */
    int taskPatches;
    final Map<Long, MlBackend> mlBackends = new LinkedHashMap<>();
    final List<TaskLock> locks = new ArrayList<>();
    /** Uploaded media, keyed by the path under {@code /data/upload/}. */
    final Map<String, byte[]> uploads = new LinkedHashMap<>();

    /** Organisation JWT settings (LS {@code JWTSettings}); a fresh LS 1.23 org has legacy tokens off. */
    boolean apiTokensEnabled = true;
    boolean legacyTokensEnabled = false;
    int apiTokenTtlDays = 365 * 200; // LS default: PATs practically never expire

    private long userSeq, projectSeq, taskSeq, predictionSeq, annotationSeq, viewSeq, webhookSeq, mlSeq;

    private final StandInClock clock;

    StandInState(StandInClock clock) {
        this.clock = clock;
    }

    Instant now() { return clock.now(); }

    long nextUserId() { return ++userSeq; }
    long nextProjectId() { return ++projectSeq; }
    long nextTaskId() { return ++taskSeq; }
    long nextPredictionId() { return ++predictionSeq; }
    long nextAnnotationId() { return ++annotationSeq; }
    long nextViewId() { return ++viewSeq; }
    long nextWebhookId() { return ++webhookSeq; }
    long nextMlId() { return ++mlSeq; }

    // ----- queries -----

    Optional<User> userByLegacyToken(String key) {
        return users.values().stream().filter(u -> u.legacyToken.equals(key)).findFirst();
    }

    List<Task> tasksOf(long projectId) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks.values()) if (t.project == projectId) out.add(t);
        return out;
    }

    List<Prediction> predictionsOf(long taskId) {
        List<Prediction> out = new ArrayList<>();
        for (Prediction p : predictions.values()) if (p.task == taskId) out.add(p);
        return out;
    }

    List<Annotation> annotationsOf(long taskId) {
        List<Annotation> out = new ArrayList<>();
        for (Annotation a : annotations.values()) if (a.task == taskId) out.add(a);
        return out;
    }

    List<MlBackend> mlBackendsOf(long projectId) {
        List<MlBackend> out = new ArrayList<>();
        for (MlBackend m : mlBackends.values()) if (m.project == projectId) out.add(m);
        return out;
    }

    List<Webhook> webhooksOf(long projectId) {
        List<Webhook> out = new ArrayList<>();
        for (Webhook w : webhooks.values()) if (w.project == null || w.project == projectId) out.add(w);
        return out;
    }

    /** Annotations that count towards completion: LS counts only those not cancelled (skipped). */
    int totalAnnotations(long taskId) {
        int n = 0;
        for (Annotation a : annotationsOf(taskId)) if (!a.wasCancelled) n++;
        return n;
    }

    int cancelledAnnotations(long taskId) {
        int n = 0;
        for (Annotation a : annotationsOf(taskId)) if (a.wasCancelled) n++;
        return n;
    }

    /** LS keeps {@code is_labeled} as "non-cancelled annotations reach the overlap". */
    boolean isLabeled(Task t) {
        return totalAnnotations(t.id) >= overlap(t);
    }

    int overlap(Task t) {
        return 1; // LS sets task.overlap from maximum_annotations only through the overlap cohort; 1 by default
    }

    Optional<TaskLock> liveLock(long taskId, long exceptUser) {
        Instant now = now();
        return locks.stream().filter(l -> l.task == taskId && l.user != exceptUser && l.expireAt.isAfter(now)).findFirst();
    }

    Optional<TaskLock> liveLockOfUser(long userId, long projectId) {
        Instant now = now();
        return locks.stream()
                .filter(l -> l.user == userId && l.expireAt.isAfter(now))
                .filter(l -> tasks.containsKey(l.task) && tasks.get(l.task).project == projectId)
                .findFirst();
    }

    TaskLock setLock(long taskId, long userId, Duration ttl) {
        locks.removeIf(l -> l.task == taskId && l.user == userId);
        TaskLock lock = new TaskLock(taskId, userId, now().plus(ttl));
        locks.add(lock);
        return lock;
    }

    /** Marks a task as changed by a user, as LS's {@code updated_at}/{@code updated_by} do. */
    void touch(Task t, Long userId) {
        t.updatedAt = now();
        if (userId != null) t.updatedBy = userId;
    }

    static ArrayNode array() { return JSON.createArrayNode(); }
    static ObjectNode object() { return JSON.createObjectNode(); }
}
