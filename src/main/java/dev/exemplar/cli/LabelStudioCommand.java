package dev.exemplar.cli;

import dev.exemplar.config.Settings;
import dev.exemplar.labelstudio.LabelStudioClient;
import dev.exemplar.labelstudio.ProjectRemoval;
import dev.exemplar.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code exemplar labelstudio ...}: operations on a Label Studio project. */
@Command(name = "labelstudio", mixinStandardHelpOptions = true, description = "Operations on a Label Studio project.",
        subcommands = {LabelStudioCommand.Remove.class})
final class LabelStudioCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an operation: remove");
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Takes Exemplar out of a project: its views, its data fields and its predictions; everything else stays.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--project", required = true, description = "The Label Studio project id.")
        long project;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings settings = Settings.fromEnvironment();
            String url = settings.get("label_studio_url"), key = settings.get("label_studio_api_key");
            if (url.isEmpty() || key.isEmpty()) throw new CliFailure("set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY");
            LabelStudioClient client = LabelStudioClient.builder(url, key).build();
            try (Store store = Store.open(Path.of(settings.get("data_dir")))) {
                ProjectRemoval.Outcome o = ProjectRemoval.remove(project, client, store, settings.manifest().modelVersion());
                spec.commandLine().getOut().printf("Project %d: removed %d views, Exemplar's fields from %d tasks, %d predictions%n",
                        project, o.views(), o.tasks(), o.predictions());
            }
            return 0;
        }
    }
}
