package dev.exemplar.fetch;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
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
}
