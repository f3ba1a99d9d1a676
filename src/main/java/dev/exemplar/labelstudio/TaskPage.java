package dev.exemplar.labelstudio;

import java.util.List;

/** One page of {@code GET /api/tasks}: its tasks and the project's task count when it was read. */
record TaskPage(int page, List<Task> tasks, long total) {
}
