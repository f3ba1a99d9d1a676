package dev.exemplar.cli;

import dev.exemplar.backend.Background;
import dev.exemplar.backend.ProjectReview;
import dev.exemplar.backend.StoreService;
import dev.exemplar.backend.SyncService;
import dev.exemplar.config.Settings;
import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.image.ImageLoader;
import dev.exemplar.propagation.QueueOrder;
import dev.exemplar.server.BackendServer;
import dev.exemplar.store.Store;
import dev.exemplar.summary.FeatureMethod;
import dev.exemplar.summary.Pipeline;

import java.io.UncheckedIOException;
import java.util.Locale;

/** The backend as the settings describe it: the sync service and the HTTP server over one store. */
record Backend(SyncService sync, BackendServer server) implements AutoCloseable {
    static Backend of(Settings settings, Store store) {
        long maxImageBytes = settings.getLong("max_image_bytes", 1, FetchPolicy.LARGEST_MAX_BYTES);
        int engineThreads = (int) settings.getLong("engine_threads", 0, 4096);
        ImageLoader loader = new ImageLoader(Long.parseLong(settings.get("max_image_pixels")), 256);
        FeatureMethod features = FeatureMethod.valueOf(settings.get("features").toUpperCase(Locale.ROOT));
        // the network is read now, so that a missing one stops the start, not every sync
        if (features == FeatureMethod.LEARNED) {
            try {
                Pipeline.learnedFeatures();
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("setting features (EXEMPLAR_FEATURES) is learned, but " + e.getCause().getMessage());
            }
        }
        Pipeline.Options options = new Pipeline.Options(settings.get("summary_size"), settings.getInt("max_delegates"),
                Pipeline.Options.defaults().embeddings(), loader, features);
        SyncService sync = SyncService.start(store, loader, new SyncService.Options(
                new SyncService.Connection(settings.get("label_studio_url"), settings.get("label_studio_api_key")),
                settings.manifest().modelVersion(), options)
                .withDefaultAnnotators(settings.get("annotators"))
                .withAllowedImageHosts(settings.get("allowed_image_hosts"))
                .withWebhookSecret(settings.get("webhook_secret"))
                .withMaxImageBytes(maxImageBytes)
                .withEngineThreads(engineThreads == 0 ? SyncService.Options.DEFAULT_ENGINE_THREADS : engineThreads)
                .withQueue(queue(settings.get("queue"))));
        BackendServer server = new BackendServer(settings, new StoreService(settings.manifest().modelVersion(), store,
                Background.of(sync), new ProjectReview(store, sync)));
        return new Backend(sync, server);
    }

    private static QueueOrder queue(String value) {
        for (QueueOrder o : QueueOrder.values()) if (o.name().equalsIgnoreCase(value.trim())) return o;
        throw new IllegalArgumentException("setting queue (EXEMPLAR_QUEUE) must be summary or adaptive, got '" + value + "'");
    }

    @Override
    public void close() {
        server.close();
        sync.close();
    }
}
