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
        spec.commandLine().getOut().print(Settings.fromEnvironment().describe());
        return 0;
    }
}
