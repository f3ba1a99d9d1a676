package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.labelstudio.standin.StandInState.MlBackend;
import dev.exemplar.labelstudio.standin.StandInState.Project;
import dev.exemplar.labelstudio.standin.StandInState.Task;
import dev.exemplar.labelstudio.standin.StandInState.Webhook;
import io.javalin.Javalin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.bodyObject;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.json;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.pathId;
import static dev.exemplar.labelstudio.standin.LabelStudioStandIn.queryLong;

/**
 * Webhooks (B.9) and the ML-backend objects (A.2-A.9, captures 20-24, 30, 75, 90-95), including the
 * calls LS makes to the backend: health + setup on create (twice), get, list and patch;
 * {@code /predict} for the test button and interactive pre-annotation; START_TRAINING on train.
 * Adding a backend also adds a catch-all webhook to {@code <url>/webhook} unless one exists.
 */
final class MlAndWebhookRoutes {
    private final LabelStudioStandIn ls;
    private final StandInState s;

    MlAndWebhookRoutes(LabelStudioStandIn ls) {
        this.ls = ls;
        this.s = ls.state;
    }

    void register(Javalin app) {
        app.get("/api/webhooks", ctx -> {
            ls.user(ctx);
            Long project = queryLong(ctx, "project");
            synchronized (s) {
                ArrayNode out = StandInState.array();
                s.webhooks.values().stream().filter(w -> project == null || (w.project != null && w.project.equals(project)))
                        .forEach(w -> out.add(ls.ser.webhook(w)));
                json(ctx, 200, out);
            }
        });
        app.post("/api/webhooks", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                if (!b.hasNonNull("url")) throw ApiError.validation("url", "This field is required.");
                Long project = b.hasNonNull("project") ? b.get("project").asLong() : null;
                if (project != null) ls.project(project);
                Webhook w = new Webhook(s.nextWebhookId(), project, s.now());
                apply(w, b);
                s.webhooks.put(w.id, w);
                json(ctx, 201, ls.ser.webhook(w));
            }
        });
        app.get("/api/webhooks/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { json(ctx, 200, ls.ser.webhook(webhook(pathId(ctx, "id")))); }
        });
        app.patch("/api/webhooks/{id}", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            synchronized (s) {
                Webhook w = webhook(pathId(ctx, "id"));
                apply(w, b);
                // LS 1.23 WebhookSerializer.validate/update: a PATCH without "actions" sets them to none
                if (!b.has("actions")) w.actions = new ArrayList<>();
                w.updatedAt = s.now();
                json(ctx, 200, ls.ser.webhook(w));
            }
        });
        app.delete("/api/webhooks/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) { s.webhooks.remove(webhook(pathId(ctx, "id")).id); }
            ctx.status(204);
        });

        app.post("/api/ml", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            long id;
            synchronized (s) {
                if (!b.hasNonNull("url")) throw ApiError.validation("url", "This field is required.");
                Project p = s.projects.get(b.path("project").asLong());
                if (p == null) throw ApiError.validation("project", "Invalid pk \"" + b.path("project").asText() + "\" - object does not exist.");
                MlBackend m = new MlBackend(s.nextMlId(), p.id, s.now());
                apply(m, b);
                s.mlBackends.put(m.id, m);
                id = m.id;
                String hookUrl = m.url.replaceAll("/+$", "") + "/webhook";
                if (s.webhooks.values().stream().noneMatch(w -> w.url.equals(hookUrl))) {
                    Webhook w = new Webhook(s.nextWebhookId(), p.id, s.now());
                    w.url = hookUrl;
                    s.webhooks.put(w.id, w);
                }
                if (p.showCollabPredictions() && p.modelVersion().isEmpty()) p.settings.put("model_version", m.title);
            }
            // Captured: health + setup twice (serializer validation, then after saving).
            ls.ops.updateState(id);
            ls.ops.updateState(id);
            synchronized (s) { json(ctx, 201, ls.ser.mlBackend(s.mlBackends.get(id))); }
        });
        app.get("/api/ml", ctx -> {
            ls.user(ctx);
            Long project = queryLong(ctx, "project");
            List<Long> ids = new ArrayList<>();
            synchronized (s) {
                s.mlBackends.values().stream().filter(m -> project == null || m.project == project).forEach(m -> ids.add(m.id));
            }
            for (long id : ids) ls.ops.updateState(id);
            synchronized (s) {
                ArrayNode out = StandInState.array();
                for (long id : ids) if (s.mlBackends.containsKey(id)) out.add(ls.ser.mlBackend(s.mlBackends.get(id)));
                json(ctx, 200, out);
            }
        });
        app.get("/api/ml/{id}", ctx -> {
            ls.user(ctx);
            long id = existingMl(pathId(ctx, "id"));
            ls.ops.updateState(id);
            synchronized (s) { json(ctx, 200, ls.ser.mlBackend(s.mlBackends.get(id))); }
        });
        app.patch("/api/ml/{id}", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            long id = existingMl(pathId(ctx, "id"));
            ls.ops.updateState(id);
            // Captured LS 1.23 behaviour: the serializer validates partial data with healthcheck_(url)
            // and setup_(url, project), so a PATCH without them fails with 500.
            if (!b.hasNonNull("url")) throw new ApiError(500, "MLBackend.healthcheck_() missing 1 required positional argument: 'url'");
            ls.ops.healthOnly(b.get("url").asText());
            if (!b.hasNonNull("project")) throw new ApiError(500, "MLBackend.setup_() missing 1 required positional argument: 'project'");
            synchronized (s) {
                MlBackend m = s.mlBackends.get(id);
                ls.ops.out.ml(b.get("url").asText(), "setup", ls.ops.setupBody(m), ls.ops.mlSetupTimeout, null, null);
                apply(m, b);
                m.updatedAt = s.now();
            }
            ls.ops.updateState(id);
            synchronized (s) { json(ctx, 200, ls.ser.mlBackend(s.mlBackends.get(id))); }
        });
        app.delete("/api/ml/{id}", ctx -> {
            ls.user(ctx);
            synchronized (s) {
                MlBackend m = s.mlBackends.remove(existingMl(pathId(ctx, "id")));
                Project p = s.projects.get(m.project);
                if (p != null && p.modelVersion().equals(m.title)) p.settings.put("model_version", "");
            }
            ctx.status(204);
        });
        app.get("/api/ml/{id}/versions", ctx -> {
            ls.user(ctx);
            MlBackend m;
            synchronized (s) { m = s.mlBackends.get(existingMl(pathId(ctx, "id"))); }
            Outbound.MlResult r = ls.outbound.ml(m.url, "versions", null, ls.ops.mlSetupTimeout, m.basicAuthUser, m.basicAuthPass);
            ObjectNode out = StandInState.object();
            out.set("versions", r.ok() && r.body().path("versions").isArray() ? r.body().get("versions") : StandInState.array());
            json(ctx, 200, out);
        });
        app.post("/api/ml/{id}/train", ctx -> {
            ls.user(ctx);
            String url;
            ObjectNode body;
            synchronized (s) {
                MlBackend m = s.mlBackends.get(existingMl(pathId(ctx, "id")));
                url = m.url;
                body = StandInState.object().put("action", "START_TRAINING");
                body.set("project", ls.ser.projectForWebhook(s.projects.get(m.project)));
            }
            ls.outbound.mlWebhook(url, body, Duration.ofSeconds(100));
            ctx.status(200);
        });
        app.post("/api/ml/{id}/predict/test", ctx -> {
            ls.user(ctx);
            MlBackend m;
            ObjectNode req;
            Task t;
            synchronized (s) {
                m = s.mlBackends.get(existingMl(pathId(ctx, "id")));
                List<Task> tasks = s.tasksOf(m.project);
                if (tasks.isEmpty()) throw new ApiError(400, "Project doesn't contain any task");
                t = tasks.get(0);
                req = ls.ops.predictBody(s.projects.get(m.project), List.of(t), null);
            }
            Outbound.MlResult r = ls.outbound.ml(m.url, "predict", req, Duration.ofMillis((long) (m.timeout * 1000)), m.basicAuthUser, m.basicAuthPass);
            ObjectNode out = StandInState.object();
            out.put("status", r.status());
            Serializers.putNullableStr(out, "error_message", r.error());
            out.put("url", m.url.replaceAll("/+$", "") + "/predict");
            synchronized (s) { out.set("task", ls.ser.taskSimple(t, true)); }
            out.set("request", req);
            out.set("response", r.ok() ? r.body().path("results") : StandInState.JSON.nullNode());
            json(ctx, 200, out);
        });
        app.post("/api/ml/{id}/interactive-annotating", ctx -> {
            ls.user(ctx);
            ObjectNode b = bodyObject(ctx);
            MlBackend m;
            ObjectNode req;
            synchronized (s) {
                m = s.mlBackends.get(existingMl(pathId(ctx, "id")));
                if (!m.isInteractive) {
                    ObjectNode err = StandInState.object();
                    err.putArray("errors").add("Model is not set to be used for interactive preannotations");
                    json(ctx, 200, err);
                    return;
                }
                Task t = ls.task(b.path("task").asLong());
                req = ls.ops.predictBody(s.projects.get(m.project), List.of(t), b.path("context").deepCopy());
                ((ObjectNode) req.get("tasks").get(0)).putArray("drafts");
            }
            Outbound.MlResult r = ls.outbound.ml(m.url, "predict", req, Duration.ofMillis((long) (m.timeout * 1000)), m.basicAuthUser, m.basicAuthPass);
            ObjectNode out = StandInState.object();
            JsonNode results = r.ok() ? r.body().path("results") : null;
            if (results == null || !results.isArray() || results.isEmpty()) {
                out.putArray("errors").add(r.ok() ? "Empty results" : r.error());
            } else {
                out.set("data", results.get(0));
            }
            json(ctx, 200, out);
        });
    }

    private void apply(Webhook w, ObjectNode b) {
        if (b.has("url")) w.url = b.get("url").asText();
        if (b.has("send_payload")) w.sendPayload = b.get("send_payload").asBoolean();
        if (b.has("send_for_all_actions")) w.sendForAllActions = b.get("send_for_all_actions").asBoolean();
        if (b.has("headers") && b.get("headers").isObject()) w.headers = ((ObjectNode) b.get("headers")).deepCopy();
        if (b.has("is_active")) w.isActive = b.get("is_active").asBoolean();
        if (b.has("actions")) {
            w.actions = new ArrayList<>();
            b.get("actions").forEach(a -> w.actions.add(a.asText()));
        }
    }

    private void apply(MlBackend m, ObjectNode b) {
        if (b.has("url")) m.url = b.get("url").asText();
        if (b.has("title")) m.title = b.get("title").asText();
        if (b.has("description")) m.description = b.get("description").asText();
        if (b.has("is_interactive")) m.isInteractive = b.get("is_interactive").asBoolean();
        if (b.has("auth_method")) m.authMethod = b.get("auth_method").asText();
        if (b.has("basic_auth_user")) m.basicAuthUser = b.get("basic_auth_user").asText();
        if (b.has("basic_auth_pass")) m.basicAuthPass = b.get("basic_auth_pass").asText();
        if (b.has("extra_params")) m.extraParams = b.get("extra_params");
        if (b.has("timeout")) m.timeout = b.get("timeout").asDouble();
        if (b.has("auto_update")) m.autoUpdate = b.get("auto_update").asBoolean();
    }

    private Webhook webhook(long id) {
        Webhook w = s.webhooks.get(id);
        if (w == null) throw ApiError.notFound();
        return w;
    }

    private long existingMl(long id) {
        synchronized (s) {
            if (!s.mlBackends.containsKey(id)) throw ApiError.notFound();
            return id;
        }
    }
}
