package dev.exemplar.server;

import dev.exemplar.backend.Service;
import org.eclipse.jetty.util.StringUtil;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

/**
 * The page a person finds at the backend's address: every project it knows, with its sync phase, progress,
 * last error, the next step and a link to its review page. Rendered here, every value escaped; it runs no
 * script and loads nothing but the review page's style sheet.
 */
final class LandingPage {
    /** Nothing from elsewhere, no script, no framing: the page only shows. */
    static final String POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private LandingPage() { }

    /** {@code backendUrl}: this server as the browser reached it, the URL to give Label Studio. */
    static String render(List<Service.Status> projects, String backendUrl, boolean review) {
        StringBuilder out = new StringBuilder(4096);
        out.append("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="referrer" content="no-referrer">
                <title>Projects · Exemplar</title>
                <link rel="stylesheet" href="/ui/assets/review.css">
                </head>
                <body class="landing">
                <header class="top"><div class="wrap head">
                <h1>Exemplar <span class="muted">projects this backend knows</span></h1>
                </div></header>
                <main class="wrap">
                """);
        if (projects.isEmpty()) {
            out.append("<p class=\"status\" id=\"empty\">No project yet: in Label Studio, open a project's Settings \u2192 Model \u2192 "
                    + "Connect Model and give it the backend URL <code>").append(escape(backendUrl)).append("</code>. "
                    + "The project appears here once Label Studio has called the backend.</p>\n");
        } else {
            out.append("""
                    <table class="projects">
                    <thead><tr><th>Project</th><th>Sync</th><th>Progress</th><th>Labels</th><th>Next step</th></tr></thead>
                    <tbody>
                    """);
            for (Service.Status s : projects) row(out, s, review);
            out.append("</tbody>\n</table>\n");
        }
        out.append("<p class=\"note muted\">Label Studio reaches this backend at the URL registered as the project's model, e.g. <code>")
                .append(escape(backendUrl)).append("</code>. Status as JSON: <code>/projects/&lt;id&gt;/status</code>.</p>\n");
        return out.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void row(StringBuilder out, Service.Status s, boolean review) {
        ProjectState state = ProjectState.of(s);
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ENGLISH);
        out.append("<tr data-project=\"").append(s.project()).append("\" data-state=\"").append(state.key()).append("\">");
        out.append("<td class=\"project\">");
        if (review) {
            out.append("<a href=\"/ui/projects/").append(s.project()).append("/review\">Project ").append(s.project()).append("</a>");
        } else {
            out.append("Project ").append(s.project());
        }
        out.append("</td>");
        out.append("<td class=\"sync\"><span class=\"state ").append(state.key()).append("\">").append(escape(state.words))
                .append("</span><div class=\"muted phase\">").append(escape(ProjectState.phaseWords(s.phase()))).append("</div></td>");
        long done = s.progress().done(), total = s.progress().total();
        out.append("<td class=\"progress\">");
        if (total > 0) {
            // a progress element, not a styled bar: the policy allows no inline style
            out.append(n.format(done)).append(" of ").append(n.format(total)).append("<progress max=\"").append(total)
                    .append("\" value=\"").append(Math.min(done, total)).append("\"></progress>");
        } else {
            out.append("<span class=\"muted\">\u2013</span>");
        }
        out.append("</td>");
        Service.Spreading p = s.propagation();
        out.append("<td class=\"labels\">").append(n.format(p.labelledTasks())).append(" labelled<div class=\"muted\">")
                .append(n.format(p.propagated())).append(" to review, ").append(n.format(p.accepted())).append(" accepted</div></td>");
        out.append("<td class=\"next\">");
        if (state == ProjectState.SYNC_FAILED) {
            out.append("<div class=\"error last-error\">").append(escape(s.lastError())).append("</div>");
        }
        out.append("<div class=\"step\">").append(escape(state.nextStep(s))).append("</div></td>");
        out.append("</tr>\n");
    }

    /** Text for HTML content and quoted attributes: Jetty's escaping of the five markup characters. */
    static String escape(String text) {
        return text == null ? "" : StringUtil.sanitizeXmlString(text);
    }
}
