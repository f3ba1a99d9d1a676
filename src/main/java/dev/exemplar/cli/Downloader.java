package dev.exemplar.cli;

import dev.exemplar.fetch.FetchPolicy;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;

/**
 * Fetches images over http(s) with timeouts, under the {@link FetchPolicy}: every hop of a redirect is checked
 * against the allowed hosts (OkHttp follows none itself), every connection against the addresses the policy
 * allows, and responses above the size limit are refused. Every
 * failure becomes an IOException whose message names the host and the cause, which ends up as the item's error.
 * Safe to share between threads.
 */
final class Downloader {
    private final OkHttpClient client;
    private final FetchPolicy policy;

    Downloader(FetchPolicy policy, Duration timeout) {
        this(policy, timeout, Dns.SYSTEM);
    }

    /** @param dns how host names are looked up, before the policy keeps only the addresses it allows */
    Downloader(FetchPolicy policy, Duration timeout, Dns dns) {
        this.client = new OkHttpClient.Builder()
                // each new connection goes only to addresses the policy allows, whatever DNS answers by then
                .dns(policy.dns(dns))
                .connectTimeout(timeout).readTimeout(timeout).callTimeout(timeout.multipliedBy(4))
                // redirects are followed in get(), one checked hop at a time
                .followRedirects(false).followSslRedirects(false)
                // a GET on a pooled connection the server closed is repeated on a fresh one
                .retryOnConnectionFailure(true).build();
        this.policy = policy;
    }

    /** @param allowedHosts when not empty, only these hosts are fetched */
    Downloader(Set<String> allowedHosts) {
        this(FetchPolicy.anyHostUnlessListed(allowedHosts, FetchPolicy.DEFAULT_MAX_BYTES), Duration.ofSeconds(30));
    }

    byte[] get(String url) throws IOException {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) throw new IOException("not a valid URL: " + url);
        HttpUrl via = null;
        for (int hop = 0; ; hop++) {
            policy.checkHop(u, via);
            String where = FetchPolicy.where(u);
            try (Response r = client.newCall(new Request.Builder().url(u).get().build()).execute()) {
                if (r.isRedirect()) {
                    HttpUrl next = policy.redirect(u, r.header("Location"), hop);
                    via = u;
                    u = next;
                    continue;
                }
                if (!r.isSuccessful()) throw new IOException("HTTP " + r.code() + " from " + where);
                ResponseBody body = r.body();
                if (body == null) throw new IOException("empty response from " + where);
                policy.checkDeclaredLength(body.contentLength(), "response from " + where);
                return policy.readCapped(body.byteStream(), "response from " + where);
            } catch (ConnectException e) {
                throw new IOException("connection refused by " + where, e);
            } catch (FetchPolicy.AddressNotAllowed e) {
                throw e.refusal();
            } catch (UnknownHostException e) {
                throw new IOException("unknown host " + u.host(), e);
            } catch (SocketTimeoutException e) {
                throw new IOException("timed out fetching from " + where, e);
            } catch (InterruptedIOException e) {
                // OkHttp's call timeout
                throw new IOException("timed out fetching from " + where, e);
            }
        }
    }
}
