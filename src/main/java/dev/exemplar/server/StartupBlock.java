package dev.exemplar.server;

import dev.exemplar.config.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The lines {@code serve} starts with: where it listens, which Label Studio it calls, whether basic auth is on,
 * the URL to register in Label Studio and where the pages are. It names settings, never their secret values.
 */
final class StartupBlock {
    private StartupBlock() { }

    static boolean basicAuth(Settings settings) {
        return !settings.get("basic_auth_user").isEmpty() && !settings.get("basic_auth_pass").isEmpty();
    }

    static String text(Settings settings, String host, int port) {
        String url = "http://" + reachableHost(host) + ":" + port;
        String labelStudio = settings.get("label_studio_url");
        String nl = System.lineSeparator() + "  ";
        return "Exemplar " + settings.manifest().version() + " (model version " + settings.manifest().modelVersion() + ") started" + nl
                + "listening on        http://" + bracketed(host) + ":" + port + nl
                + "Label Studio        " + (labelStudio.isEmpty()
                        ? "not configured, LABEL_STUDIO_URL not set: the backend calls whatever host each project's /setup names, with /setup's token, "
                        + "and cannot reach Label Studio for a project until its next /setup (removal needs LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY)"
                        : labelStudio) + nl
                + "basic auth          " + (basicAuth(settings) ? "on (user " + settings.get("basic_auth_user")
                        + "; give Label Studio the same user and password under \"Use Basic Authentication\")" : "off") + nl
                + "register in Label Studio: project → Settings → Model → Connect Model, Backend URL " + url
                        + " (this machine's address as Label Studio reaches it)" + nl
                + "projects and review pages: " + url + "/ (one project's review: " + url + "/ui/projects/<id>/review)";
    }

    /** The host in a URL others can use: a wildcard address is no address to call, this machine's name is. */
    private static String reachableHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) return bracketed(host);
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
