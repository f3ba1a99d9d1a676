package dev.exemplar.cli;

import dev.exemplar.config.Settings;
import dev.exemplar.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code exemplar serve}: the Label Studio ML backend. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the Label Studio ML backend (health, setup, predict, versions, metrics).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Port to listen on (default: the port setting, ${DEFAULT-VALUE} when unset).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (default: the host setting, 127.0.0.1 when unset: this machine only).")
    String host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = Settings.fromEnvironment();
        try {
            settings.check();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), e);
        }
        int p = port != null ? port : settings.getInt("port");
        String address = host != null ? host : settings.get("host");
        if (p < 0 || p > 65535) throw new CliFailure("--port must be between 0 and 65535, got " + p);
        Store store = Store.open(Path.of(settings.get("data_dir")));
        Backend backend = Backend.of(settings, store);
        int bound = backend.server().start(address, p); // the server logs the start-up block
        boolean loopback = address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
        if (!loopback && (settings.get("basic_auth_user").isEmpty() || settings.get("basic_auth_pass").isEmpty())) {
            spec.commandLine().getErr().println("warning: listening beyond this machine without basic auth: anyone who reaches "
                    + address + ":" + bound + " can read results and trigger syncs; set BASIC_AUTH_USER and BASIC_AUTH_PASS");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            store.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
