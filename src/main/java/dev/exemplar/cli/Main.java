package dev.exemplar.cli;

import dev.exemplar.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** The {@code exemplar} command: subcommands for each task; {@code main} exits with the subcommand's code. */
@Command(name = "exemplar", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Orders an image dataset by summary priority, links the rest to delegates and finds near-duplicates.",
        subcommands = {SummarizeCommand.class, AnalyzeCommand.class, SimulateCommand.class, ExportCommand.class, ServeCommand.class, ConfigCommand.class, BenchCommand.class, LabelStudioCommand.class, ResultCommand.class, CommandLine.HelpCommand.class})
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
        // an unknown level leaves the default: serve and config refuse it with every other invalid setting
        LogLevel.of(Settings.fromEnvironment()).ifPresent(LogLevel::apply);
        Thread main = Thread.currentThread();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            // a worker or the decoding watchdog that runs out of heap dies (its pool makes another); a run that cannot
            // go on says so in its one last line, so the heap running out is not said twice, nor as a stack trace
            if (e instanceof OutOfMemoryError && thread != main) return;
            System.err.print("Exception in thread \"" + thread.getName() + "\" "); // as the JVM prints it
            e.printStackTrace(System.err);
        });
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams and returns its exit code; used by {@code main} and tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, CommandLine.defaultFactory(), args);
    }

    /** As above, with the commands made by {@code factory}: tests give a command its settings this way. */
    static int execute(PrintWriter out, PrintWriter err, CommandLine.IFactory factory, String... args) {
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --features wavelet, as documented
        // a command line that does not parse: one line like every other failure, and where the usage is, not all of it
        cl.setParameterExceptionHandler((e, given) -> {
            CommandLine at = e.getCommandLine();
            at.getErr().println("error: " + e.getMessage() + "; see `" + at.getCommandSpec().qualifiedName() + " --help`");
            return CANNOT_RUN;
        });
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

    /**
     * Why a write failed, in words an operator acts on: the operating system's reason for a full
     * disk, a read-only file system or a refused permission, rather than Java's exception text.
     */
    static String describeWrite(IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) return "the disk is full";
        if (reason.contains("Read-only file system")) return "the file system is read-only";
        if (e instanceof AccessDeniedException || reason.contains("Permission denied")) return "permission denied";
        if (reason.contains("Not a directory")) return "a part of the path is a file, not a folder";
        return describe(e);
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
