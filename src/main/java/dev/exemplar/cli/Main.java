package dev.exemplar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code exemplar} command: subcommands for each task; {@code main} exits with the subcommand's code. */
@Command(name = "exemplar", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Orders an image dataset by summary priority, links the rest to delegates and finds near-duplicates.",
        subcommands = {SummarizeCommand.class, AnalyzeCommand.class, ServeCommand.class, ConfigCommand.class, BenchCommand.class, LabelStudioCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code when the command could not run at all (bad arguments, missing or unusable input). */
    static final int CANNOT_RUN = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // no subcommand: picocli reports this with the usage, exit code 2
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams and returns its exit code; used by {@code main} and tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --features wavelet, as documented
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            // a failure is reported in one line; a stack trace would bury it
            if (e instanceof CliFailure) {
                line.getErr().println("error: " + e.getMessage());
                return CANNOT_RUN;
            }
            line.getErr().println("error: " + describe(e));
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The version from the jar manifest, which the build writes from the pom. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"exemplar " + (v == null ? "(development build)" : v)};
        }
    }
}
