package dev.exemplar.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.MlBackend;
import dev.exemplar.labelstudio.Webhook;

import java.util.Objects;

/**
 * Puts the webhook secret on the webhooks to {@code <backend url>/webhook}, the one Label Studio made when this backend
 * was connected to a project and any {@link EventsWebhook} added, so their events pass /webhook's check.
 * Only the webhooks of ML backends that answer Exemplar's model version get it, never another's.
 */
final class WebhookSecret {
    private WebhookSecret() { }

    /** How many webhooks were given the header (0 when all had it already). */
    static int apply(LabelStudioClient client, long projectId, String modelVersion, String secret) {
        int updated = 0;
        for (MlBackend b : client.mlBackends(projectId)) {
            if (!modelVersion.equals(b.modelVersion()) || b.url() == null) continue;
            String hook = b.url().replaceAll("/+$", "") + "/webhook";
            for (Webhook w : client.webhooks(projectId)) {
                if (!Objects.equals(w.url(), hook)) continue;
                ObjectNode headers = w.headers() == null ? Json.MAPPER.createObjectNode() : w.headers().deepCopy();
                if (secret.equals(headers.path(Service.WEBHOOK_SECRET_HEADER).asText(null))) continue;
                headers.put(Service.WEBHOOK_SECRET_HEADER, secret);
                client.updateWebhookHeaders(w, headers);
                updated++;
            }
        }
        return updated;
    }
}
