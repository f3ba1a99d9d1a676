package dev.exemplar.backend;

import dev.exemplar.propagation.QueueOrder;

import java.util.Optional;
import java.util.function.Consumer;

/** What the routes hand on to the work in the background: the sync of a project starts or continues there. */
public interface Background {
    void setup(SetupRequest request);

    /** An event was committed to the durable queue: a chance to handle it now rather than at the next poll. */
    default void eventQueued() { }

    /** Why the project's sync last failed, when known here beyond the store (which a full disk keeps from recording it). */
    default Optional<String> lastError(long projectId) {
        return Optional.empty();
    }

    /** How the project's summary queue is worked. */
    default QueueOrder queueOrder(long projectId) {
        return QueueOrder.SUMMARY;
    }

    /** More metrics, in Prometheus' text format. */
    default String metrics() {
        return "";
    }

    /** Takes Exemplar out of the project; answers what was removed. */
    default ProjectRemoval.Outcome remove(long projectId) throws Exception {
        throw new UnsupportedOperationException("this backend cannot remove projects");
    }

    /** Setups and events handed to these; nothing else (tests that drive a sync their own way). */
    static Background of(Consumer<SetupRequest> setup, Runnable eventQueued) {
        return new Background() {
            @Override
            public void setup(SetupRequest request) {
                setup.accept(request);
            }

            @Override
            public void eventQueued() {
                eventQueued.run();
            }
        };
    }

    /** Over the sync service: what the backend runs. */
    static Background of(SyncService sync) {
        return new Background() {
            @Override
            public void setup(SetupRequest r) {
                sync.setup(r.projectId(), r.hostname(), r.accessToken());
            }

            @Override
            public void eventQueued() {
                sync.eventQueued();
            }

            @Override
            public String metrics() {
                return sync.calls().render();
            }

            @Override
            public Optional<String> lastError(long projectId) {
                return sync.lastError(projectId);
            }

            @Override
            public ProjectRemoval.Outcome remove(long projectId) throws InterruptedException {
                return sync.remove(projectId);
            }

            @Override
            public QueueOrder queueOrder(long projectId) {
                return sync.queueOrder(projectId);
            }
        };
    }

    Background NONE = request -> { };
}
