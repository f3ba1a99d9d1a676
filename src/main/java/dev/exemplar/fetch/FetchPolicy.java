package dev.exemplar.fetch;

import okhttp3.Dns;
import okhttp3.HttpUrl;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one rule for where images come from and how large they may be:
 * <ul>
 *   <li>hosts: any, or only those listed (plus, for the Label Studio client, Label Studio's own origin and the
 *       hop right after a redirect that origin gave, i.e. a presigned storage URL);</li>
 *   <li>addresses: when hosts are listed, a listed name is connected to only at the public addresses it resolves
 *       to, unless the list makes the others explicit ({@link #allowsAddress}); checked by the HTTP client's
 *       {@link #dns} at each connection, so a name that resolves differently later (DNS rebinding) is caught;</li>
 *   <li>redirects: followed by the caller hop by hop, at most {@value #MAX_REDIRECTS}, each hop checked as a first
 *       request would be ({@link #redirect}, {@link #checkHop}); never followed by the HTTP library itself;</li>
 *   <li>local paths: confined to a root after resolving {@code ..}, percent-encoding (done by the caller that parses
 *       the URL) and symbolic links ({@link #confine});</li>
 *   <li>size: at most {@link #maxBytes()} bytes, checked on a file's attributes before it is opened and on a
 *       response's declared length, and enforced again while reading ({@link #readFile}, {@link #readCapped}).</li>
 * </ul>
 * A refusal is a {@link Refused} whose message names the rule; it never holds bytes of what was refused.
 * Immutable and safe to share between threads.
 */
public final class FetchPolicy {
    /** Larger files and responses are refused unread. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** A byte array cannot be larger; a limit above it would let a read fail late instead of being refused. */
    public static final long LARGEST_MAX_BYTES = Integer.MAX_VALUE - 16;
    public static final int MAX_REDIRECTS = 5;
    /** How the error of a local file that is not there begins. */
    public static final String NO_SUCH_FILE = "no such file";

    private final boolean anyHost;
    private final Set<String> hosts;
    /** The listed hosts that are IP literals: those addresses are allowed whatever name leads to them. */
    private final Set<InetAddress> listedAddresses;
    private final HttpUrl trustedOrigin;
    private final long maxBytes;

    private FetchPolicy(boolean anyHost, Set<String> hosts, HttpUrl trustedOrigin, long maxBytes) {
        if (maxBytes < 1 || maxBytes > LARGEST_MAX_BYTES) {
            throw new IllegalArgumentException("the size limit must be between 1 and " + LARGEST_MAX_BYTES + " bytes, not " + maxBytes);
        }
        this.anyHost = anyHost;
        this.hosts = hosts;
        this.listedAddresses = literals(hosts);
        this.trustedOrigin = trustedOrigin;
        this.maxBytes = maxBytes;
    }

    /** Any host when {@code hosts} is empty, else only these (case-insensitive), as the command line's {@code --allow-host}. */
    public static FetchPolicy anyHostUnlessListed(Collection<String> hosts, long maxBytes) {
        return new FetchPolicy(hosts.isEmpty(), lower(hosts), null, maxBytes);
    }

    /** Only these hosts (none when empty), plus the trusted origin, as the backend's {@code allowed_image_hosts}. */
    public static FetchPolicy onlyListed(Collection<String> hosts, HttpUrl trustedOrigin, long maxBytes) {
        return new FetchPolicy(false, lower(hosts), trustedOrigin, maxBytes);
    }

    private static Set<String> lower(Collection<String> hosts) {
        return hosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public long maxBytes() {
        return maxBytes;
    }

    public boolean allowsHost(String host) {
        return anyHost || hosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a connection to {@code address}, which the allowed {@code host} resolved to, may be made. Any when
     * any host is allowed, and any public address. Past the public internet only what the list makes explicit:
     * an address listed itself (as {@code 127.0.0.1}, {@code 10.0.0.5} or {@code ::1}); a loopback address for
     * {@code localhost} and names under {@code .localhost}; a private (LAN) address for names that can only be
     * local: without a dot ({@code minio}) or under {@code .local}, {@code .internal}, {@code .lan},
     * {@code .localdomain} or {@code .home.arpa}. A link-local address (169.254.0.0/16: cloud metadata) or a
     * reserved one only when listed itself. So a public name whose DNS answer points inside is not followed there.
     */
    public boolean allowsAddress(String host, InetAddress address) {
        if (anyHost) return true;
        AddressKind kind = AddressKind.of(address);
        if (kind == AddressKind.PUBLIC || listedAddresses.contains(address)) return true;
        String h = host.toLowerCase(Locale.ROOT);
        if (!hosts.contains(h)) return false;
        return switch (kind) {
            case LOOPBACK -> h.equals("localhost") || h.endsWith(".localhost");
            case PRIVATE -> isLocalName(h);
            default -> false;
        };
    }

    private static final List<String> LOCAL_SUFFIXES = List.of(".local", ".internal", ".lan", ".localdomain", ".home.arpa");

    private static boolean isLocalName(String host) {
        return (host.indexOf('.') < 0 && host.indexOf(':') < 0) || LOCAL_SUFFIXES.stream().anyMatch(host::endsWith);
    }

    /**
     * {@code delegate}, keeping of each answer only the addresses {@link #allowsAddress} allows; when none is
     * left, an {@link AddressNotAllowed}. For the HTTP client of every fetch of images from listed hosts: OkHttp
     * looks a name up for each new connection and connects only to what this returns. (A URL whose host is an IP
     * literal is not looked up; it is fetched only when listed, i.e. explicitly.)
     */
    public Dns dns(Dns delegate) {
        if (anyHost) return delegate;
        return host -> {
            List<InetAddress> all = delegate.lookup(host);
            List<InetAddress> kept = all.stream().filter(a -> allowsAddress(host, a)).toList();
            if (!kept.isEmpty()) return kept;
            String to = all.stream().map(a -> a.getHostAddress() + " (" + AddressKind.of(a).words() + ")")
                    .collect(Collectors.joining(", "));
            throw new AddressNotAllowed(host, "host " + host + " resolves to " + (all.isEmpty() ? "no address" : to)
                    + ", which is not allowed: list the address itself to fetch from it");
        };
    }

    /** The IP literals among the hosts; a name is never looked up here. */
    private static Set<InetAddress> literals(Set<String> hosts) {
        Set<InetAddress> out = new HashSet<>();
        for (String h : hosts) {
            String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            try {
                if (bare.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                    byte[] b = new byte[4];
                    String[] parts = bare.split("\\.");
                    boolean valid = true;
                    for (int i = 0; i < 4; i++) {
                        int v = Integer.parseInt(parts[i]);
                        valid &= v <= 255;
                        b[i] = (byte) v;
                    }
                    if (valid) out.add(InetAddress.getByAddress(b));
                } else if (bare.contains(":")) {
                    // OkHttp's parser accepts only a valid IPv6 literal; InetAddress would look anything else up
                    HttpUrl u = HttpUrl.parse("http://[" + bare + "]/");
                    if (u != null) out.add(InetAddress.getByName(u.host()));
                }
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // only ever given a valid literal
            }
        }
        return out;
    }

    /** Whether {@code url} is on the trusted origin (same scheme, host and port). */
    public boolean trusted(HttpUrl url) {
        return trustedOrigin != null && sameOrigin(url, trustedOrigin);
    }

    /**
     * Refuses a hop whose host is not allowed.
     *
     * @param via the URL whose redirect led here, or null for the first request
     */
    public void checkHop(HttpUrl url, HttpUrl via) throws Refused {
        if (allowsHost(url.host()) || trusted(url) || (via != null && trusted(via))) return;
        String rule = "host " + url.host() + " is not allowed (allowed: "
                + (hosts.isEmpty() ? "none" : String.join(", ", hosts)) + ")";
        throw new Refused(Refused.Rule.HOST, url.host(), via == null ? rule : "redirect from " + where(via) + " to " + where(url) + ": " + rule);
    }

    /** The target of a redirect from {@code from}; it still has to pass {@link #checkHop}. */
    public HttpUrl redirect(HttpUrl from, String location, int hopsSoFar) throws Refused {
        if (hopsSoFar >= MAX_REDIRECTS) {
            throw new Refused(Refused.Rule.REDIRECT, from.host(), "more than " + MAX_REDIRECTS + " redirects, the last from " + where(from));
        }
        if (location == null || location.isBlank()) {
            throw new Refused(Refused.Rule.REDIRECT, from.host(), "redirect from " + where(from) + " without a Location");
        }
        HttpUrl next = from.resolve(location.trim());
        if (next == null) {
            // file:, ftp:, javascript: ... only http(s) is ever followed
            throw new Refused(Refused.Rule.REDIRECT, from.host(), "redirect from " + where(from) + " to a location that is not http(s)");
        }
        return next;
    }

    /** Host and, when not the scheme's default, port. */
    public static String where(HttpUrl u) {
        return u.host() + (u.port() == HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port());
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    // ------------------------------------------------------------------ sizes

    /** Refuses a declared length above the limit (-1, unknown, passes: the read is capped). */
    public void checkDeclaredLength(long length, String what) throws Refused {
        if (length > maxBytes) throw tooLarge(what, length);
    }

    /** Reads at most the limit; more is a {@link Refused}, whatever length was declared. */
    public byte[] readCapped(InputStream in, String what) throws IOException {
        byte[] bytes = in.readNBytes((int) maxBytes + 1);
        if (bytes.length > maxBytes) throw tooLarge(what, -1);
        return bytes;
    }

    private Refused tooLarge(String what, long size) {
        String is = size >= 0 ? what + " is " + size + " bytes," : what + " is";
        return new Refused(Refused.Rule.TOO_LARGE, what, is + " more than the limit of " + maxBytes + " bytes; not read");
    }

    // ------------------------------------------------------------------ local files

    /**
     * The real path of {@code candidate} when it lies under {@code root}, after {@code ..} and symbolic links are
     * resolved; else a {@link Refused} naming the rule. A candidate that does not exist under the root is a
     * {@link NoSuchFileException}.
     *
     * @param what how the candidate is named in messages (the path or URL as written)
     * @param rootName how the root is named in messages (e.g. "--local-files-root /srv/files")
     */
    public static Path confine(Path root, Path candidate, String what, String rootName) throws IOException {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IOException(rootName + " cannot be opened: " + describe(e));
        }
        Path lexical = candidate.toAbsolutePath().normalize();
        if (!lexical.startsWith(root.toAbsolutePath().normalize()) && !lexical.startsWith(realRoot)) {
            throw new Refused(Refused.Rule.OUTSIDE_ROOT, what, what + " is outside " + rootName + "; not read");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(lexical.toString(), null, NO_SUCH_FILE + " " + lexical);
        } catch (FileSystemException e) {
            throw new IOException("cannot resolve " + what + ": " + describe(e));
        }
        if (!real.startsWith(realRoot)) {
            throw new Refused(Refused.Rule.OUTSIDE_ROOT, what, what + " leads outside " + rootName + " through a symbolic link; not read");
        }
        return real;
    }

    /**
     * A path relative to a root (as a local-files URL's {@code d}, already percent-decoded) when it stays below the
     * root once its {@code .} and {@code ..} segments are resolved; else a {@link Refused}. Leading slashes count
     * as none (Label Studio reads {@code d} relative to its root with or without them). For roots this program
     * cannot see, such as Label Studio's document root; a root on this machine is checked by {@link #confine}.
     */
    public static String confineRelative(String relative, String what, String rootName) throws Refused {
        int depth = 0;
        for (String segment : relative.replace('\\', '/').split("/", -1)) {
            if (segment.equals("..")) depth--;
            else if (!segment.isEmpty() && !segment.equals(".")) depth++;
            if (depth < 0) throw new Refused(Refused.Rule.OUTSIDE_ROOT, what, what + " is outside " + rootName + "; not fetched");
        }
        return relative;
    }

    /** As {@link #confine(Path, Path, String, String)} under whichever of the roots holds the candidate. */
    public static Path confine(List<Path> roots, List<String> rootNames, Path candidate, String what) throws IOException {
        if (roots.isEmpty()) throw new IllegalArgumentException("no roots");
        Refused throughLink = null;
        for (int i = 0; i < roots.size(); i++) {
            try {
                return confine(roots.get(i), candidate, what, rootNames.get(i));
            } catch (Refused e) {
                // under this root as written, but a link leads out of it: that is the reason to give
                if (throughLink == null && e.getMessage().contains(" through a symbolic link")) throughLink = e;
            }
        }
        if (throughLink != null) throw throughLink;
        throw new Refused(Refused.Rule.OUTSIDE_ROOT, what, what + " is outside " + String.join(" and ", rootNames) + "; not read");
    }

    /**
     * The bytes of a regular file of at most the limit. Its attributes are read first: a directory, FIFO, device or
     * socket is refused without being opened (opening a FIFO would block), a larger file without being read; the
     * read itself stops past the limit, in case the file grew.
     *
     * @param what how the file is named in messages
     */
    public byte[] readFile(Path file, String what) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, NO_SUCH_FILE + " " + what);
        } catch (IOException e) {
            throw new IOException("cannot open " + what + ": " + describe(e), e);
        }
        if (a.isDirectory()) throw new Refused(Refused.Rule.NOT_A_FILE, what, what + " is a directory, not an image file");
        if (!a.isRegularFile()) {
            throw new Refused(Refused.Rule.NOT_A_FILE, what, what + " is not a regular file (" + FileKind.of(file) + "); not opened");
        }
        if (a.size() > maxBytes) throw tooLarge(what, a.size());
        try (InputStream in = Files.newInputStream(file)) {
            // one array of the file's size, as Files.readAllBytes: reading 8 KB chunks and joining them made twice
            // the garbage, and the features computed after the reads ran 15 % slower
            byte[] bytes = new byte[(int) a.size()];
            int n = in.readNBytes(bytes, 0, bytes.length);
            if (n < bytes.length) return Arrays.copyOf(bytes, n); // it shrank while read
            if (in.read() < 0) return bytes;
        } catch (IOException e) {
            throw new IOException("cannot read " + what + ": " + describe(e), e);
        }
        // it grew while read: read again, now capped
        try (InputStream in = Files.newInputStream(file)) {
            return readCapped(in, what);
        } catch (Refused e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read " + what + ": " + describe(e), e);
        }
    }

    /** The reason of a file system failure with its kind, e.g. "Permission denied (AccessDeniedException)". */
    public static String describe(IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (reason == null && e instanceof AccessDeniedException) reason = "permission denied";
        if (reason == null) reason = e.getClass().getSimpleName();
        else reason = reason + " (" + e.getClass().getSimpleName() + ")";
        return reason;
    }

    /** Something this policy refuses to fetch or read; the message names the item and the rule. */
    public static final class Refused extends IOException {
        public enum Rule { HOST, ADDRESS, REDIRECT, OUTSIDE_ROOT, TOO_LARGE, NOT_A_FILE }

        private final Rule rule;
        private final String subject;

        public Refused(Rule rule, String subject, String message) {
            super(message);
            this.rule = rule;
            this.subject = subject;
        }

        public Rule rule() { return rule; }

        /** The host, path or URL refused. */
        public String subject() { return subject; }
    }

    /**
     * An allowed host that resolves only to addresses the policy does not allow. An {@link UnknownHostException}
     * because that is what a DNS lookup may throw; callers tell it apart to name the rule.
     */
    public static final class AddressNotAllowed extends UnknownHostException {
        private final String host;

        AddressNotAllowed(String host, String message) {
            super(message);
            this.host = host;
        }

        public String host() { return host; }

        /** As the policy's refusal, for callers that report refusals by rule. */
        public Refused refusal() {
            return new Refused(Refused.Rule.ADDRESS, host, getMessage());
        }
    }
}
