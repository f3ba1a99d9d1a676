package dev.exemplar.server;

import io.javalin.http.Context;

/** The ids in a route's path ({@code {id}}, {@code {task}}): read and checked in one place. */
final class PathIds {
    private PathIds() { }

    /** The project of {@code {id}}. */
    static long project(Context ctx) {
        return of(ctx, "id", "project id");
    }

    /** The task of {@code {task}}. */
    static long task(Context ctx) {
        return of(ctx, "task", "task id");
    }

    private static long of(Context ctx, String param, String what) {
        String id = ctx.pathParam(param);
        if (!id.matches("\\d{1,18}")) throw new BackendServer.BadRequest(what + " must be a number, got '" + clip(id) + "'");
        return Long.parseLong(id);
    }

    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
