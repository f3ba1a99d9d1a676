package dev.exemplar.cli;

import dev.exemplar.summary.Result;
import dev.exemplar.summary.ResultParts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code exemplar result ...}: operations on result files. */
@Command(name = "result", mixinStandardHelpOptions = true, description = "Operations on result files.",
        subcommands = {ResultCommand.Merge.class})
final class ResultCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an operation: merge");
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Checks a result written as a folder of part files (summary.json, order/, links/, duplicates/, errors/)"
                    + " and writes it as the one result file `summarize` writes.")
    static final class Merge implements Callable<Integer> {
        @Parameters(paramLabel = "FOLDER", description = "The parts folder.")
        Path folder;

        @Option(names = "--out", defaultValue = "result.json", description = "The result file to write (default: ${DEFAULT-VALUE}).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(folder)) throw new CliFailure(folder + " is not a folder");
            if (!ResultParts.isParts(folder)) throw new CliFailure(folder + " holds no summary.json: not a parts folder");
            OutputChecks.writableFile(out, "--out");
            Result r = read(folder);
            CommandSupport.writeFile(out, r::write);
            spec.commandLine().getOut().printf("%,d items (%,d in the summary), %,d linked, %,d duplicate groups, %,d errors: wrote %s%n",
                    r.order().size(), r.summarySize(), r.links().size(), r.duplicates().size(), r.errors().size(), out);
            return 0;
        }

        /** The folder's result, or a failure in one line naming the part file and line. */
        static Result read(Path folder) {
            try {
                return ResultParts.read(folder);
            } catch (ResultParts.Invalid e) {
                throw new CliFailure(folder + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new CliFailure("cannot read " + folder + ": " + Main.describe(e), e);
            }
        }
    }
}
