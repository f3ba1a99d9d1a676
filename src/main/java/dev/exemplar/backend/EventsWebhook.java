package dev.exemplar.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.MlBackend;
import dev.exemplar.labelstudio.Webhook;
import dev.exemplar.labelstudio.WebhookAction;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Makes sure Label Studio sends the backend every event it acts on ({@link WebhookAction}): new and deleted tasks
 * and annotations. Label Studio 1.23 adds a webhook for all actions to {@code <backend url>/webhook} only when the
 * backend is first connected; one that was deleted, switched off or narrowed, or a backend whose URL was changed
 * later, leaves the backend deaf to them. Each sync adds one project webhook to that URL (the backend's URL as
 * registered in the project) for just the actions no active webhook there sends, so no event arrives twice and a
 * second sync adds nothing. {@link ProjectRemoval} deletes every webhook to that URL.
 */
final class EventsWebhook {
    static final List<String> ACTIONS = java.util.Arrays.stream(WebhookAction.values()).map(Enum::name).toList();

    private EventsWebhook() { }

    /** How many webhooks were added: 0 when Label Studio already sends every action. */
    static int ensure(LabelStudioClient client, long projectId, String modelVersion, String secret) {
        int added = 0;
        for (MlBackend b : client.mlBackends(projectId)) {
            if (!modelVersion.equals(b.modelVersion()) || b.url() == null || b.url().isBlank()) continue;
            String hook = b.url().replaceAll("/+$", "") + "/webhook";
            List<String> missing = missing(client.webhooks(projectId), hook);
            if (missing.isEmpty()) continue;
            ObjectNode headers = Json.MAPPER.createObjectNode();
            if (!secret.isEmpty()) headers.put(Service.WEBHOOK_SECRET_HEADER, secret);
            client.createWebhook(new Webhook(null, projectId, hook, true, false, missing, headers, true));
            added++;
        }
        return added;
    }

    /** The actions no active webhook to {@code hook} sends, in {@link WebhookAction}'s order. */
    static List<String> missing(List<Webhook> webhooks, String hook) {
        Set<String> sent = new LinkedHashSet<>();
        for (Webhook w : webhooks) {
            if (!Objects.equals(w.url(), hook) || Boolean.FALSE.equals(w.isActive())) continue;
            if (!Boolean.FALSE.equals(w.sendForAllActions())) return List.of(); // Label Studio's default is all actions
            if (w.actions() != null) sent.addAll(w.actions());
        }
        List<String> out = new ArrayList<>(ACTIONS);
        out.removeAll(sent);
        return out;
    }
}
