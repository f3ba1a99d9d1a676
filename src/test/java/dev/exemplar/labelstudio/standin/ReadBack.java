package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Reads the stand-in's state back in the JSON shapes LS answers with, without HTTP or auth. */
public final class ReadBack {
    private final LabelStudioStandIn ls;

    ReadBack(LabelStudioStandIn ls) {
        this.ls = ls;
    }

    /** As {@code GET /api/projects/{id}}. */
    public ObjectNode project(long id) {
        synchronized (ls.state) { return ls.ser.project(ls.project(id), true); }
    }

    /** As the simple task serializer, with nested annotations and predictions. */
    public ObjectNode task(long id) {
        synchronized (ls.state) { return ls.ser.taskSimple(ls.task(id), true); }
    }

    /** Every task of a project, simple shape, in id order. */
    public ArrayNode tasks(long project) {
        synchronized (ls.state) {
            ArrayNode out = StandInState.array();
            ls.state.tasksOf(project).forEach(t -> out.add(ls.ser.taskSimple(t, true)));
            return out;
        }
    }

    public ArrayNode predictions(long task) {
        synchronized (ls.state) {
            ArrayNode out = StandInState.array();
            ls.state.predictionsOf(task).forEach(p -> out.add(ls.ser.prediction(p)));
            return out;
        }
    }

    public ArrayNode views(long project) {
        synchronized (ls.state) {
            ArrayNode out = StandInState.array();
            ls.state.views.values().stream().filter(v -> v.project == project).forEach(v -> out.add(ls.ser.view(v)));
            return out;
        }
    }

    /** Task PATCHes received so far. */
    public int taskPatches() {
        synchronized (ls.state) { return ls.state.taskPatches; }
    }

    /** The ERROR lines LS would have logged about the ML backend's answers so far. */
    public List<String> loggedErrors() {
        synchronized (ls.state) { return List.copyOf(ls.state.errorLog); }
    }

    /** Task ids of a view, filtered and ordered as {@code GET /api/tasks?view=} would list them. */
    public List<Long> viewTaskIds(long view) {
        synchronized (ls.state) {
            StandInState.View v = ls.state.views.get(view);
            if (v == null) throw ApiError.notFound();
            return new DataManagerRoutes(ls).prepare(ls.project(v.project), v.data.get("filters"), v.data.get("ordering"), null,
                    v.data.get("columnsDisplayType")).stream().map(t -> t.id).toList();
        }
    }
}
