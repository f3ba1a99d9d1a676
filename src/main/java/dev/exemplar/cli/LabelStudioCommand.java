package dev.exemplar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.backend.ProjectRemoval;
import dev.exemplar.backend.ResultApply;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.store.Store;
import dev.exemplar.store.StoreException;
import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code exemplar labelstudio ...}: operations on a Label Studio project. */
@Command(name = "labelstudio", mixinStandardHelpOptions = true, description = "Operations on a Label Studio project.",
        subcommands = {LabelStudioCommand.Apply.class, LabelStudioCommand.Remove.class})
final class LabelStudioCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an operation: apply or remove");
    }

    /** Label Studio as the settings name it; both are needed before anything is read or written. */
    static LabelStudioClient client(Settings settings) {
        String url = settings.get("label_studio_url"), key = settings.get("label_studio_api_key");
        if (url.isEmpty() || key.isEmpty()) throw new CliFailure("set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY");
        return LabelStudioClient.builder(url, key).build();
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Writes a result (a result file of `exemplar summarize`, or a parts folder) into a project as a sync"
                    + " writes its own: rank, role and delegates on each task, and the views. The engine does not run.",
                    "Items are matched to tasks by task id (a result whose items are all whole numbers), else by image URL,"
                    + " path ending or file name; ambiguous ones are left out and reported.",
                    "Stop `exemplar serve` on the same data directory first: a sync of the project would write its own order."})
    static final class Apply implements Callable<Integer> {
        @Option(names = "--project", required = true, description = "The Label Studio project id.")
        long project;

        @Parameters(paramLabel = "RESULT", description = "A result file, or a folder of result parts (see `exemplar result merge`).")
        Path result;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Where the settings come from: the environment, or a test's map. */
        private final Function<String, String> environment;

        Apply() {
            this(System::getenv);
        }

        Apply(Function<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            Settings settings = new Settings(Manifest.load(), environment);
            LabelStudioClient client = client(settings);
            Result r = read(result);
            Path data = Path.of(settings.get("data_dir"));
            Store store;
            try {
                store = Store.open(data);
            } catch (StoreException.InUse e) {
                // the running backend would sync the project meanwhile, writing its own order over this one
                throw new CliFailure("the data directory " + data + " is in use by `exemplar serve`: stop it, then apply");
            }
            ResultApply.Outcome o;
            try (store) {
                o = ResultApply.apply(project, r, client, store, settings.manifest().modelVersion(), settings.get("annotators"));
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.printf("Project %d: matched %d of %d result items to its %d tasks (by %s); wrote %d tasks, %d delegates%n",
                    project, o.matched(), o.items(), o.tasks(), o.matchedBy(), o.patched(), o.summarySize());
            out.println("Tasks no item matched: " + left(o.unmatchedTasks()));
            out.println("Result items that matched no task: " + left(o.unmatchedItems()));
            if (o.ambiguousItems().count() > 0) out.println("Result items left out as ambiguous: " + left(o.ambiguousItems()));
            out.flush();
            if (o.matched() == 0) throw new CliFailure("no item of " + result + " matched a task of project " + project + "; nothing written");
            return 0;
        }

        private static String left(ResultApply.Left l) {
            return l.count() == 0 ? "none" : l.count() + " (e.g. " + String.join(", ", l.examples()) + ")";
        }

        /** A result file, or a parts folder checked as `result merge` checks it. */
        private static Result read(Path path) {
            if (Files.isDirectory(path)) return ResultCommand.Merge.read(path);
            if (!Files.isRegularFile(path)) throw new CliFailure(path + " does not exist");
            Result r;
            try {
                r = Result.read(path);
            } catch (IOException e) {
                throw new CliFailure("cannot read the result " + path + ": " + Main.describe(e), e);
            }
            if (r.isPartial()) throw new CliFailure(path + " is the partial result of a stopped run (" + r.stopped() + "): apply a finished one");
            return r;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Takes Exemplar out of a project: its ML backend connection, views, data fields and predictions;"
                    + " everything else stays.",
                    "While `exemplar serve` runs on the same data directory, the running backend does it (--backend, default"
                    + " http://127.0.0.1:<port setting>, with the backend's basic auth)."})
    static final class Remove implements Callable<Integer> {
        @Option(names = "--project", required = true, description = "The Label Studio project id.")
        long project;

        @Option(names = "--backend", description = "The running backend's URL: remove through it.")
        String backend;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Settings settings = Settings.fromEnvironment();
            if (backend != null) return throughBackend(settings, backend);
            Store store;
            try {
                store = Store.open(Path.of(settings.get("data_dir")));
            } catch (StoreException.InUse e) {
                // `serve` holds the data directory: it removes, so that it neither syncs nor propagates meanwhile
                return throughBackend(settings, "http://127.0.0.1:" + settings.getInt("port"));
            }
            try (store) {
                LabelStudioClient client = client(settings);
                ProjectRemoval.Outcome o = ProjectRemoval.remove(project, client, store, settings.manifest().modelVersion());
                report(o.backends(), o.views(), o.tasks(), o.predictions());
            }
            return 0;
        }

        private int throughBackend(Settings settings, String url) throws IOException {
            HttpUrl base = HttpUrl.parse(url);
            if (base == null) throw new CliFailure("--backend must be an http(s) URL, got " + url);
            HttpUrl target = base.newBuilder().addPathSegments("projects/" + project + "/remove").build();
            Request.Builder request = new Request.Builder().url(target).post(RequestBody.create(new byte[0]));
            String user = settings.get("basic_auth_user"), pass = settings.get("basic_auth_pass");
            if (!user.isEmpty() && !pass.isEmpty()) request.header("Authorization", Credentials.basic(user, pass));
            // removal writes every task that carries Exemplar's fields, one request each: as long as the project is large
            OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
            spec.commandLine().getErr().println("Removing Exemplar from project " + project + " through the backend at " + base + " ...");
            try (Response r = http.newCall(request.build()).execute()) {
                String text = r.body() == null ? "" : r.body().string();
                JsonNode answer = text.isBlank() ? null : Json.MAPPER.readTree(text);
                if (!r.isSuccessful()) {
                    String why = answer != null && answer.hasNonNull("error") ? answer.get("error").asText() : "HTTP " + r.code();
                    throw new CliFailure("the backend at " + base + " did not remove project " + project + ": " + why);
                }
                report(answer.path("backends").asInt(), answer.path("views").asInt(), answer.path("tasks").asInt(),
                        answer.path("predictions").asInt());
            } catch (java.net.ConnectException e) {
                throw new CliFailure("the data directory is in use, but no backend answers at " + base
                        + ": give the running backend's URL with --backend");
            }
            return 0;
        }

        private void report(int backends, int views, int tasks, int predictions) {
            spec.commandLine().getOut().printf("Project %d: disconnected %d ML backend%s, removed %d views, Exemplar's fields from %d tasks,"
                    + " %d predictions%n", project, backends, backends == 1 ? "" : "s", views, tasks, predictions);
        }
    }
}
