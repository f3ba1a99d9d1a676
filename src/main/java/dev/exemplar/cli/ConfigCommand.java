package dev.exemplar.cli;

import dev.exemplar.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code exemplar config}: the effective configuration, secrets masked. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Prints the effective settings: plugin.yaml's defaults overridden by environment variables.")
final class ConfigCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = Settings.fromEnvironment();
        spec.commandLine().getOut().print(settings.describe());
        spec.commandLine().getOut().flush();
        // the table shows what was given; a value serve would refuse is said so, one line each
        for (String problem : settings.problems()) spec.commandLine().getErr().println("error: " + problem);
        return settings.problems().isEmpty() ? 0 : Main.CANNOT_RUN;
    }
}
