package dev.exemplar.cli;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fetches images over http(s) with timeouts and a size cap. Every failure becomes an IOException whose
 * message names the host and the cause, which ends up as the item's error. Safe to share between threads.
 */
final class Downloader {
    static final long DEFAULT_MAX_BYTES = 50L << 20;

    private final OkHttpClient client;
    private final long maxBytes;
    private final Set<String> allowedHosts;

    /** @param allowedHosts when not empty, only these hosts are fetched */
    Downloader(Set<String> allowedHosts, long maxBytes, Duration timeout) {
        this.client = new OkHttpClient.Builder()
                .connectTimeout(timeout).readTimeout(timeout).callTimeout(timeout.multipliedBy(4))
                .followRedirects(true).retryOnConnectionFailure(true).build();
        this.maxBytes = maxBytes;
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    Downloader(Set<String> allowedHosts) {
        this(allowedHosts, DEFAULT_MAX_BYTES, Duration.ofSeconds(30));
    }

    byte[] get(String url) throws IOException {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) throw new IOException("not a valid URL: " + url);
        String host = u.host();
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new IOException("host " + host + " is not allowed (allowed: " + String.join(", ", allowedHosts) + ")");
        }
        String where = host + (u.port() == HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port());
        try (Response r = client.newCall(new Request.Builder().url(u).get().build()).execute()) {
            if (!r.isSuccessful()) throw new IOException("HTTP " + r.code() + " from " + where);
            ResponseBody body = r.body();
            if (body == null) throw new IOException("empty response from " + where);
            if (body.contentLength() > maxBytes) throw tooLarge(where);
            return readCapped(body.byteStream(), where);
        } catch (ConnectException e) {
            throw new IOException("connection refused by " + where, e);
        } catch (UnknownHostException e) {
            throw new IOException("unknown host " + host, e);
        } catch (SocketTimeoutException e) {
            throw new IOException("timed out fetching from " + where, e);
        } catch (InterruptedIOException e) {
            // OkHttp's call timeout
            throw new IOException("timed out fetching from " + where, e);
        }
    }

    /** The declared length may be absent or wrong, so the cap is enforced while reading. */
    private byte[] readCapped(InputStream in, String where) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            if (out.size() + (long) n > maxBytes) throw tooLarge(where);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private IOException tooLarge(String where) {
        return new IOException("response from " + where + " is larger than " + (maxBytes >> 20) + " MB");
    }
}
