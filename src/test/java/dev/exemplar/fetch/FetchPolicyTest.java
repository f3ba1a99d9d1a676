package dev.exemplar.fetch;

import okhttp3.Dns;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fetch policy's rules one by one; the commands and the client are tested end to end elsewhere. */
class FetchPolicyTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptyListAllowsAnyHostOnTheCommandLineAndNoneInTheBackend() throws Exception {
        HttpUrl ls = HttpUrl.get("http://ls.example:8080/");
        FetchPolicy cli = FetchPolicy.anyHostUnlessListed(Set.of(), 100);
        FetchPolicy backend = FetchPolicy.onlyListed(Set.of(), ls, 100);
        HttpUrl elsewhere = HttpUrl.get("http://elsewhere.example/a.jpg");

        cli.checkHop(elsewhere, null);
        assertThatThrownBy(() -> backend.checkHop(elsewhere, null)).hasMessageContaining("host elsewhere.example is not allowed");
        backend.checkHop(HttpUrl.get("http://ls.example:8080/data/upload/a.jpg"), null);
        // Label Studio's own redirect (a presigned URL) may lead anywhere, one hop
        backend.checkHop(elsewhere, HttpUrl.get("http://ls.example:8080/tasks/1/presign/"));
        assertThatThrownBy(() -> backend.checkHop(HttpUrl.get("http://next.example/"), elsewhere))
                .isInstanceOf(FetchPolicy.Refused.class).hasMessageContaining("redirect from elsewhere.example to next.example");
    }

    @Test
    void redirectsAreHttpOnlyAndFew() throws Exception {
        FetchPolicy p = FetchPolicy.anyHostUnlessListed(List.of("a.example"), 100);
        HttpUrl from = HttpUrl.get("https://a.example/x");
        assertThat(p.redirect(from, "/y", 0)).isEqualTo(HttpUrl.get("https://a.example/y"));
        assertThatThrownBy(() -> p.redirect(from, "file:///etc/passwd", 0)).hasMessageContaining("not http(s)");
        assertThatThrownBy(() -> p.redirect(from, "/y", FetchPolicy.MAX_REDIRECTS)).hasMessageContaining("more than 5 redirects");
        assertThatThrownBy(() -> p.redirect(from, null, 0)).hasMessageContaining("without a Location");
    }

    @Test
    void relativePathsMayNotClimbOut() throws Exception {
        assertThat(FetchPolicy.confineRelative("a/../b.jpg", "d", "root")).isEqualTo("a/../b.jpg");
        assertThat(FetchPolicy.confineRelative("/a/b.jpg", "d", "root")).isEqualTo("/a/b.jpg");
        for (String bad : new String[] {"../x.jpg", "a/../../x.jpg", "./..", "a\\..\\..\\x.jpg"}) {
            assertThatThrownBy(() -> FetchPolicy.confineRelative(bad, bad, "root")).as(bad)
                    .isInstanceOf(FetchPolicy.Refused.class).hasMessageContaining("is outside root");
        }
    }

    @Test
    void localPathsStayUnderTheirRootThroughLinks() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.writeString(tmp.resolve("outside.jpg"), "x");
        Files.writeString(root.resolve("in.jpg"), "x");
        Files.createSymbolicLink(root.resolve("out.jpg"), outside);
        Files.createSymbolicLink(root.resolve("inner.jpg"), Path.of("in.jpg"));

        assertThat(FetchPolicy.confine(root, root.resolve("inner.jpg"), "inner.jpg", "R")).isEqualTo(root.resolve("in.jpg").toRealPath());
        assertThatThrownBy(() -> FetchPolicy.confine(root, root.resolve("out.jpg"), "out.jpg", "R"))
                .hasMessage("out.jpg leads outside R through a symbolic link; not read");
        assertThatThrownBy(() -> FetchPolicy.confine(root, root.resolve("../outside.jpg"), "../outside.jpg", "R"))
                .hasMessage("../outside.jpg is outside R; not read");
        assertThatThrownBy(() -> FetchPolicy.confine(root, root.resolve("none.jpg"), "none.jpg", "R"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void filesAreCheckedBeforeTheyAreReadAndReadsAreCapped() throws Exception {
        FetchPolicy p = FetchPolicy.anyHostUnlessListed(List.of(), 10);
        Path small = Files.write(tmp.resolve("small.jpg"), new byte[10]);
        Path large = Files.write(tmp.resolve("large.jpg"), new byte[11]);

        assertThat(p.readFile(small, "small.jpg")).hasSize(10);
        assertThatThrownBy(() -> p.readFile(large, "large.jpg")).hasMessage("large.jpg is 11 bytes, more than the limit of 10 bytes; not read");
        assertThatThrownBy(() -> p.readFile(tmp, "tmp")).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> p.readCapped(new ByteArrayInputStream(new byte[11]), "stream")).hasMessageContaining("more than the limit");
    }

    @Test
    void aDeniedReadNamesItsCause() {
        // tests may run as root, where a file's permissions do not keep it out: the wording is checked here
        assertThat(FetchPolicy.describe(new AccessDeniedException("/x/locked.jpg"))).isEqualTo("permission denied (AccessDeniedException)");
    }

    // ------------------------------------------------------------------ addresses

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A resolver that answers from a table and fails for any other name, as a test's stand-in for DNS. */
    static Dns fake(Map<String, List<String>> table) {
        return host -> {
            List<String> answer = table.get(host);
            if (answer == null) throw new UnknownHostException(host);
            return answer.stream().map(FetchPolicyTest::ip).toList();
        };
    }

    static List<String> lookUp(FetchPolicy p, Dns dns, String host) throws UnknownHostException {
        return p.dns(dns).lookup(host).stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void aListedPublicNameIsNotFollowedToAnAddressInside() {
        FetchPolicy p = FetchPolicy.onlyListed(Set.of("images.example.com"), HttpUrl.get("http://ls.example:8080/"), 100);
        for (String inside : List.of("169.254.169.254", "127.0.0.1", "10.0.0.5", "172.17.0.2", "192.168.1.20", "100.64.0.1",
                "0.0.0.0", "::1", "fe80::1", "fd12:3456::1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "224.0.0.1")) {
            Dns dns = fake(Map.of("images.example.com", List.of(inside)));

            assertThatThrownBy(() -> lookUp(p, dns, "images.example.com")).as(inside)
                    .isInstanceOf(FetchPolicy.AddressNotAllowed.class)
                    .hasMessageStartingWith("host images.example.com resolves to ")
                    .hasMessageEndingWith("which is not allowed: list the address itself to fetch from it");
        }
        assertThatThrownBy(() -> lookUp(p, fake(Map.of("images.example.com", List.of("169.254.169.254"))), "images.example.com"))
                .hasMessage("host images.example.com resolves to 169.254.169.254 (a link-local address), which is not allowed:"
                        + " list the address itself to fetch from it");
    }

    @Test
    void onlyThePublicAddressesOfAMixedAnswerAreConnectedTo() throws Exception {
        FetchPolicy p = FetchPolicy.onlyListed(Set.of("images.example.com"), null, 100);
        Dns dns = fake(Map.of("images.example.com", List.of("127.0.0.1", "93.184.216.34", "169.254.169.254", "2606:2800:220:1::1")));

        assertThat(lookUp(p, dns, "images.example.com")).containsExactly("93.184.216.34", "2606:2800:220:1:0:0:0:1");
    }

    @Test
    void anAddressListedItselfIsExplicitWhateverNameLeadsToIt() throws Exception {
        FetchPolicy p = FetchPolicy.onlyListed(Set.of("images.example.com", "169.254.169.254", "10.0.0.5", "[::1]"), null, 100);

        assertThat(lookUp(p, fake(Map.of("images.example.com", List.of("169.254.169.254"))), "images.example.com"))
                .containsExactly("169.254.169.254");
        assertThat(lookUp(p, fake(Map.of("images.example.com", List.of("10.0.0.5", "10.0.0.6"))), "images.example.com"))
                .containsExactly("10.0.0.5");
        assertThat(lookUp(p, fake(Map.of("images.example.com", List.of("::1"))), "images.example.com")).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void localhostIsExplicitForLoopbackAndALocalNameForTheLan() throws Exception {
        FetchPolicy p = FetchPolicy.anyHostUnlessListed(List.of("localhost", "minio", "nas.home.arpa", "store.internal"), 100);

        assertThat(lookUp(p, fake(Map.of("localhost", List.of("127.0.0.1", "::1"))), "localhost")).hasSize(2);
        assertThat(lookUp(p, fake(Map.of("minio", List.of("172.18.0.3"))), "minio")).containsExactly("172.18.0.3");
        assertThat(lookUp(p, fake(Map.of("nas.home.arpa", List.of("192.168.1.20"))), "nas.home.arpa")).containsExactly("192.168.1.20");
        assertThat(lookUp(p, fake(Map.of("store.internal", List.of("fd00::5"))), "store.internal")).containsExactly("fd00:0:0:0:0:0:0:5");
        // a LAN name is not explicit for this machine, nor any name for the link (cloud metadata)
        assertThatThrownBy(() -> lookUp(p, fake(Map.of("minio", List.of("127.0.0.1"))), "minio"))
                .isInstanceOf(FetchPolicy.AddressNotAllowed.class);
        assertThatThrownBy(() -> lookUp(p, fake(Map.of("store.internal", List.of("169.254.169.254"))), "store.internal"))
                .isInstanceOf(FetchPolicy.AddressNotAllowed.class);
        assertThatThrownBy(() -> lookUp(p, fake(Map.of("localhost", List.of("169.254.169.254"))), "localhost"))
                .isInstanceOf(FetchPolicy.AddressNotAllowed.class);
    }

    @Test
    void everyLookupIsCheckedSoANameThatRebindsInsideIsCaught() throws Exception {
        FetchPolicy p = FetchPolicy.onlyListed(Set.of("images.example.com"), null, 100);
        Deque<String> answers = new ArrayDeque<>(List.of("93.184.216.34", "127.0.0.1"));
        Dns rebinding = host -> List.of(ip(answers.removeFirst()));
        Dns guarded = p.dns(rebinding);

        assertThat(guarded.lookup("images.example.com")).containsExactly(ip("93.184.216.34"));
        assertThatThrownBy(() -> guarded.lookup("images.example.com")).isInstanceOf(FetchPolicy.AddressNotAllowed.class)
                .hasMessageContaining("127.0.0.1 (a loopback address)");
    }

    @Test
    void withNoListTheCommandLineConnectsAnywhere() throws Exception {
        FetchPolicy p = FetchPolicy.anyHostUnlessListed(List.of(), 100);
        Dns dns = fake(Map.of("images.example.com", List.of("127.0.0.1", "169.254.169.254")));

        assertThat(lookUp(p, dns, "images.example.com")).containsExactly("127.0.0.1", "169.254.169.254");
    }

    @Test
    void aNameThatDoesNotResolveStaysUnknown() {
        FetchPolicy p = FetchPolicy.onlyListed(Set.of("images.example.com"), null, 100);

        assertThatThrownBy(() -> lookUp(p, fake(Map.of()), "images.example.com"))
                .isInstanceOf(UnknownHostException.class).isNotInstanceOf(FetchPolicy.AddressNotAllowed.class);
    }
}
