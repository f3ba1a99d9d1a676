package dev.exemplar.labelstudio;

import dev.exemplar.fetch.FetchPolicy;

/**
 * A Label Studio call that failed: the HTTP status (0 when no answer came back), the method and path,
 * and Label Studio's own error text. The message never holds a credential: request headers are not
 * part of it, and the client masks its key in any text it copies from an answer.
 */
public class LabelStudioException extends RuntimeException {
    private final int status;
    private final String method;
    private final String path;
    private final String detail;

    LabelStudioException(String method, String path, int status, String detail, Throwable cause) {
        super(message(method, path, status, detail), cause);
        this.status = status;
        this.method = method;
        this.path = path;
        this.detail = detail;
    }

    private static String message(String method, String path, int status, String detail) {
        String head = "Label Studio " + method + " " + path;
        String what = status > 0 ? " answered " + status : " failed";
        return head + what + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    /** The HTTP status, or 0 when the request got no answer (connection failure, timeout). */
    public int status() { return status; }

    public String method() { return method; }

    /** The path and query, without scheme and host. */
    public String path() { return path; }

    /** Label Studio's error text ({@code detail} and validation errors), or a description of the failure. */
    String detail() { return detail; }

    /** A media URL whose host is neither Label Studio's nor on the client's allow-list. */
    static final class HostNotAllowed extends LabelStudioException {
        private final String host;

        public HostNotAllowed(String path, String host) {
            super("GET", path, 0, "host " + host + " is not Label Studio's and not on the allow-list", null);
            this.host = host;
        }

        /** A listed host that resolved only to addresses the allow-list does not make explicit. */
        HostNotAllowed(String path, FetchPolicy.AddressNotAllowed e) {
            super("GET", path, 0, e.getMessage(), e);
            this.host = e.host();
        }

        public String host() { return host; }
    }

    /** Media larger than the client's size cap; reading stopped at the cap. */
    static final class TooLarge extends LabelStudioException {
        public TooLarge(String path, long maxBytes) {
            super("GET", path, 0, "media is larger than the cap of " + maxBytes + " bytes", null);
        }
    }
}
