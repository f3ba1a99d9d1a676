package dev.exemplar.backend;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.Task;
import dev.exemplar.propagation.AdaptiveQueue;
import dev.exemplar.store.QueueStore;
import dev.exemplar.store.Role;
import dev.exemplar.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The adaptive queue in Label Studio: once a batch of labels is in (1% of the tasks), the unlabelled
 * delegates whose labels would settle the most that is still uncertain ({@link AdaptiveQueue}, as
 * {@code simulate --queue adaptive} measures it) are put at the front of the summary queue, and stay
 * there until they are labelled. The front is recorded in the store with the labels that chose it;
 * writing it re-keys only the tasks that move ({@link RankKeys}, against the keys the store knows the
 * tasks carry), so a batch of b tasks costs about b task writes however large the project.
 */
final class QueueFront {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFront.class);
    /** Below this share of ordered tasks with a known key (a project synced before keys were kept), the next sync writes the front. */
    static final double KNOWN_KEYS = 0.9;

    private QueueFront() { }

    /**
     * Chooses the next front when the last one is labelled and at least one batch of labels is in (the first batch
     * follows the summary order). {@code spread}: the label spread to each unlabelled task with its confidence.
     */
    static void pick(Store store, long project, SpreadChoices choices, Map<Long, SpreadChoices.Choice> spread,
                     Set<Long> labelled, Map<Long, Role> roles) {
        List<Long> front = store.queue().front(project).tasks();
        if (front.stream().anyMatch(t -> roles.get(t) != null && !labelled.contains(t))) return; // still being labelled
        Set<Long> delegates = new HashSet<>();
        int ordered = 0;
        for (Map.Entry<Long, Role> e : roles.entrySet()) {
            if (e.getValue() == null) continue;
            ordered++;
            if (e.getValue() == Role.DELEGATE && !labelled.contains(e.getKey())) delegates.add(e.getKey());
        }
        int batch = AdaptiveQueue.batch(ordered);
        if (labelled.size() < batch || delegates.isEmpty()) return;
        List<Long> next = choices.next(spread, labelled, delegates, batch);
        if (!next.isEmpty()) store.queue().front(project, next);
    }

    /**
     * Brings the project's queue in Label Studio in line with its front; returns the tasks written. Labelled tasks
     * are left where they are: nobody is served them again. Throws when Label Studio cannot be reached, leaving the
     * front due.
     */
    static int write(Store store, long project, LabelStudioClient client) {
        QueueStore.Front front = store.queue().front(project);
        Set<Long> labelled = new HashSet<>(store.labels().labelledTasks(project));
        List<Long> open = new ArrayList<>();
        for (long t : store.orders().ordered(project)) if (!labelled.contains(t)) open.add(t);
        Map<Long, String> held = store.queue().keys(project);
        long known = open.stream().filter(held::containsKey).count();
        if (known < KNOWN_KEYS * open.size()) {
            LOG.info("project {}: the queue's keys are not known yet; the next sync puts the adaptive front first", project);
            store.queue().written(project, front.version());
            return 0;
        }
        Map<Long, String> keys = RankKeys.assign(QueueFields.queue(open, front.tasks()), held);
        Map<Long, String> changed = new LinkedHashMap<>();
        for (long t : open) if (!keys.get(t).equals(held.get(t))) changed.put(t, keys.get(t));
        // read, then merged into: Label Studio replaces a task's data whole
        for (Task now : client.tasks(project, changed.keySet())) {
            String key = changed.get(now.id());
            client.updateTaskData(now, JsonNodeFactory.instance.objectNode().put(ProjectSync.RANK, key));
            store.queue().keys(project, Map.of(now.id(), key));
        }
        store.queue().written(project, front.version());
        return changed.size();
    }
}
