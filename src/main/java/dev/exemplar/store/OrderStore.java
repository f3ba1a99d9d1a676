package dev.exemplar.store;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's ordering result (order, summary size, links, duplicate groups), written and read
 * as a whole: readers never see half of one result and half of another.
 */
public final class OrderStore {
    public record Link(long delegate, double weight) { }

    /** One of a constituent's nearest delegates, with their cosine similarity. */
    public record Candidate(long delegate, double similarity) { }

    /** A delegate a constituent may take its label from: its link weight (0 when not a link) and similarity. */
    public record Source(long delegate, double linkWeight, double similarity) { }

    /** A constituent's link seen from the delegate's side, for label propagation. */
    record Constituent(long task, int position, double weight) { }

    /**
     * The neighbour graph the order was built on, by position in the order: the task at position i has the
     * tasks {@code neighbours[i degree .. i degree + degree)}, most similar first, with their cosine
     * similarities in the same places. Flat arrays, no object per edge.
     */
    public record Graph(int degree, long[] neighbours, float[] similarities) {
        public static final Graph NONE = new Graph(0, new long[0], new float[0]);

        public Graph {
            if (degree < 0 || neighbours.length != similarities.length || (degree > 0 && neighbours.length % degree != 0)) {
                throw new IllegalArgumentException(neighbours.length + " neighbours and " + similarities.length
                        + " similarities do not make lists of " + degree);
            }
        }
    }

    /**
     * A graph as read back: the tasks in rank order and their lists, which may name tasks deleted since
     * the order was written.
     */
    public record StoredGraph(List<Long> tasks, Graph graph) { }

    /**
     * {@code order}: the ordered task ids, most important first; the first {@code summarySize} are
     * delegates. {@code links}: for each constituent, strongest first. {@code duplicates}: groups of
     * task ids. {@code graph}: every task's neighbours, by position in {@code order}.
     */
    public record OrderResult(int summarySize, List<Long> order, Map<Long, List<Link>> links, List<List<Long>> duplicates,
                              Map<Long, List<Candidate>> candidates, Graph graph) {
        public OrderResult(int summarySize, List<Long> order, Map<Long, List<Link>> links, List<List<Long>> duplicates) {
            this(summarySize, order, links, duplicates, Map.of(), Graph.NONE);
        }

        public OrderResult {
            order = List.copyOf(order);
            links = Map.copyOf(links);
            duplicates = List.copyOf(duplicates);
            candidates = Map.copyOf(candidates);
            if (graph.degree() > 0 && graph.neighbours().length != order.size() * graph.degree()) {
                throw new IllegalArgumentException("a graph of " + graph.neighbours().length / graph.degree() + " lists for "
                        + order.size() + " ordered tasks");
            }
            if (summarySize < 0 || summarySize > order.size()) {
                throw new IllegalArgumentException("summary size " + summarySize + " outside 0.." + order.size());
            }
        }
    }

    private final Store store;

    OrderStore(Store store) {
        this.store = store;
    }

    /**
     * Replaces the project's result in one transaction; on any failure (say, a task id the store
     * does not know) the previous result stays as it was.
     */
    public void write(long projectId, OrderResult r) {
        long now = store.now();
        store.transaction(c -> {
            Sql.update(c, "DELETE FROM links WHERE project_id = ?", projectId);
            Sql.update(c, "DELETE FROM duplicates WHERE project_id = ?", projectId);
            Sql.update(c, "DELETE FROM candidates WHERE project_id = ?", projectId);
            Sql.update(c, "DELETE FROM neighbours WHERE project_id = ?", projectId);
            Sql.update(c, "UPDATE tasks SET rank = NULL, role = NULL WHERE project_id = ? AND rank IS NOT NULL", projectId);
            try (PreparedStatement q = c.prepareStatement(
                    "UPDATE tasks SET rank = ?, role = ?, updated_at = ? WHERE project_id = ? AND task_id = ?")) {
                for (int i = 0; i < r.order().size(); i++) {
                    long task = r.order().get(i);
                    Sql.bind(q, i, (i < r.summarySize() ? Role.DELEGATE : Role.CONSTITUENT).text(), now, projectId, task);
                    if (q.executeUpdate() != 1) throw new StoreException("the order names task " + task + ", unknown in project " + projectId);
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO links (project_id, task_id, position, delegate_task_id, weight) VALUES (?, ?, ?, ?, ?)")) {
                for (var e : r.links().entrySet()) {
                    for (int p = 0; p < e.getValue().size(); p++) {
                        Link l = e.getValue().get(p);
                        Sql.bind(q, projectId, e.getKey(), p, l.delegate(), l.weight());
                        q.addBatch();
                    }
                }
                q.executeBatch();
            }
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO candidates (project_id, task_id, position, delegate_task_id, similarity) VALUES (?, ?, ?, ?, ?)")) {
                for (var e : r.candidates().entrySet()) {
                    for (int p = 0; p < e.getValue().size(); p++) {
                        Sql.bind(q, projectId, e.getKey(), p, e.getValue().get(p).delegate(), e.getValue().get(p).similarity());
                        q.addBatch();
                    }
                }
                q.executeBatch();
            }
            int degree = r.graph().degree();
            if (degree > 0) {
                try (PreparedStatement q = c.prepareStatement("INSERT INTO neighbours (project_id, task_id, list) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < r.order().size(); i++) {
                        Sql.bind(q, projectId, r.order().get(i), Blobs.fromList(r.graph().neighbours(), r.graph().similarities(),
                                i * degree, degree));
                        q.addBatch();
                    }
                    q.executeBatch();
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO duplicates (project_id, group_id, task_id) VALUES (?, ?, ?)")) {
                for (int g = 0; g < r.duplicates().size(); g++) {
                    for (long task : r.duplicates().get(g)) {
                        Sql.bind(q, projectId, g, task);
                        q.addBatch();
                    }
                }
                q.executeBatch();
            }
            if (Sql.update(c, "UPDATE projects SET summary_size = ?, updated_at = ? WHERE project_id = ?",
                    r.summarySize(), now, projectId) != 1) {
                throw new StoreException("no project " + projectId);
            }
            return null;
        });
    }

    /** The stored result, or empty before the first one. */
    public Optional<OrderResult> read(long projectId) {
        return store.transaction(c -> {
            List<Integer> size = Sql.query(c, "SELECT summary_size FROM projects WHERE project_id = ? AND summary_size IS NOT NULL",
                    rs -> rs.getInt(1), projectId);
            if (size.isEmpty()) return Optional.empty();
            List<Long> order = Sql.query(c, "SELECT task_id FROM tasks WHERE project_id = ? AND rank IS NOT NULL ORDER BY rank",
                    rs -> rs.getLong(1), projectId);
            Map<Long, List<Link>> links = new LinkedHashMap<>();
            Sql.query(c, "SELECT task_id, delegate_task_id, weight FROM links WHERE project_id = ? ORDER BY task_id, position",
                    rs -> links.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Link(rs.getLong(2), rs.getDouble(3))),
                    projectId);
            List<List<Long>> groups = new ArrayList<>();
            Map<Integer, List<Long>> byGroup = new LinkedHashMap<>();
            Sql.query(c, "SELECT group_id, task_id FROM duplicates WHERE project_id = ? ORDER BY group_id, task_id",
                    rs -> byGroup.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getLong(2)), projectId);
            groups.addAll(byGroup.values());
            return Optional.of(new OrderResult(size.get(0), order, links, groups));
        });
    }

    /**
     * The stored neighbour graph of the project's ordered tasks, in rank order, in one query; empty before the
     * first order written with one. Tasks with a rank but no list (none, or deleted) are left out.
     */
    public Optional<StoredGraph> graph(long projectId) {
        return store.transaction(c -> {
            List<Long> tasks = new ArrayList<>();
            List<byte[]> lists = new ArrayList<>();
            Sql.query(c, "SELECT t.task_id, n.list FROM tasks t JOIN neighbours n ON n.project_id = t.project_id"
                    + " AND n.task_id = t.task_id WHERE t.project_id = ? AND t.rank IS NOT NULL ORDER BY t.rank", rs -> {
                        tasks.add(rs.getLong(1));
                        return lists.add(rs.getBytes(2));
                    }, projectId);
            if (tasks.isEmpty()) return Optional.<StoredGraph>empty();
            int degree = lists.get(0).length / Blobs.NEIGHBOUR_BYTES;
            long[] neighbours = new long[tasks.size() * degree];
            float[] similarities = new float[tasks.size() * degree];
            for (int i = 0; i < lists.size(); i++) Blobs.toList(lists.get(i), neighbours, similarities, i * degree, degree);
            return Optional.of(new StoredGraph(List.copyOf(tasks), new Graph(degree, neighbours, similarities)));
        });
    }

    /** Whether the project's order was written with its neighbour graph (orders written before it was kept were not). */
    public boolean hasGraph(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT EXISTS (SELECT 1 FROM neighbours WHERE project_id = ?)",
                rs -> rs.getInt(1) == 1, projectId).get(0));
    }

    /** The tasks of the order, in rank order. */
    public List<Long> ordered(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT task_id FROM tasks WHERE project_id = ? AND rank IS NOT NULL ORDER BY rank",
                rs -> rs.getLong(1), projectId));
    }

    /** The task's links, strongest first; empty for a delegate. */
    public List<Link> links(long projectId, long task) {
        return store.transaction(c -> Sql.query(c, "SELECT delegate_task_id, weight FROM links"
                + " WHERE project_id = ? AND task_id = ? ORDER BY position", rs -> new Link(rs.getLong(1), rs.getDouble(2)),
                projectId, task));
    }

    /** Constituents linked to a delegate, strongest link first: those a new label on it may reach. */
    public List<Constituent> constituents(long projectId, long delegate) {
        return store.transaction(c -> Sql.query(c, "SELECT task_id, position, weight FROM links"
                + " WHERE project_id = ? AND delegate_task_id = ? ORDER BY weight DESC, task_id",
                rs -> new Constituent(rs.getLong(1), rs.getInt(2), rs.getDouble(3)), projectId, delegate));
    }

    /** Where a constituent's label may come from: its nearest delegates, with link weights for its links. */
    public List<Source> sources(long projectId, long task) {
        return store.transaction(c -> Sql.query(c, "SELECT c.delegate_task_id, COALESCE(l.weight, 0), c.similarity FROM candidates c"
                + " LEFT JOIN links l ON l.project_id = c.project_id AND l.task_id = c.task_id AND l.delegate_task_id = c.delegate_task_id"
                + " WHERE c.project_id = ? AND c.task_id = ? ORDER BY c.position",
                rs -> new Source(rs.getLong(1), rs.getDouble(2), rs.getDouble(3)), projectId, task));
    }

    /** {@link #sources(long, long)} of each of these tasks, by task. */
    public Map<Long, List<Source>> sources(long projectId, Collection<Long> tasks) {
        return sourcesByTask(" AND c.task_id IN (SELECT value FROM json_each(?))", projectId, Sql.ids(tasks));
    }

    /** {@link #sources(long, long)} of every constituent of the project, by task. */
    public Map<Long, List<Source>> sources(long projectId) {
        return sourcesByTask("", projectId);
    }

    private Map<Long, List<Source>> sourcesByTask(String andWhere, Object... args) {
        Map<Long, List<Source>> out = new HashMap<>();
        store.transaction(c -> Sql.query(c, "SELECT c.task_id, c.delegate_task_id, COALESCE(l.weight, 0), c.similarity FROM candidates c"
                + " LEFT JOIN links l ON l.project_id = c.project_id AND l.task_id = c.task_id AND l.delegate_task_id = c.delegate_task_id"
                + " WHERE c.project_id = ?" + andWhere + " ORDER BY c.task_id, c.position",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Source(rs.getLong(2), rs.getDouble(3), rs.getDouble(4))),
                args));
        return out;
    }

    /** Every task of a near-duplicate group with the other members of its group. */
    public Map<Long, List<Long>> copies(long projectId) {
        Map<Integer, List<Long>> groups = new LinkedHashMap<>();
        store.transaction(c -> Sql.query(c, "SELECT group_id, task_id FROM duplicates WHERE project_id = ? ORDER BY group_id, task_id",
                rs -> groups.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getLong(2)), projectId));
        Map<Long, List<Long>> out = new HashMap<>();
        for (List<Long> g : groups.values()) for (long t : g) out.put(t, g.stream().filter(x -> x != t).toList());
        return out;
    }

    /** Constituents a label on this delegate may reach: linked to it, or having it among their nearest. */
    public List<Long> reachedBy(long projectId, long delegate) {
        return store.transaction(c -> Sql.query(c, "SELECT task_id FROM candidates WHERE project_id = ? AND delegate_task_id = ?"
                + " UNION SELECT task_id FROM links WHERE project_id = ? AND delegate_task_id = ?",
                rs -> rs.getLong(1), projectId, delegate, projectId, delegate));
    }

    /** The other members of the task's near-duplicate group; empty when it has none. */
    public List<Long> copiesOf(long projectId, long task) {
        return store.transaction(c -> Sql.query(c, "SELECT d.task_id FROM duplicates d JOIN duplicates me"
                + " ON me.project_id = d.project_id AND me.group_id = d.group_id"
                + " WHERE me.project_id = ? AND me.task_id = ? AND d.task_id != ? ORDER BY d.task_id",
                rs -> rs.getLong(1), projectId, task, task));
    }

    /** Constituents of the project, in rank order. */
    public List<Long> constituents(long projectId) {
        return store.transaction(c -> Sql.query(c, "SELECT task_id FROM tasks WHERE project_id = ? AND role = 'constituent' ORDER BY rank",
                rs -> rs.getLong(1), projectId));
    }
}
