package dev.exemplar.labelstudio;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The label config is read from requests: valid configs as Label Studio writes them, and hostile ones, each fast. */
class LabelConfigTest {
    private static final Duration FAST = Duration.ofMillis(900);

    @Test
    void theImageFieldIsTheFirstImageTagsDollarValueInAnyAttributeOrderAndQuotes() {
        assertThat(LabelConfig.imageField("<View><Image name=\"image\" value=\"$image\"/></View>")).hasValue("image");
        assertThat(LabelConfig.imageField("<View><Image value='$photo_url' name='img' zoom='true'/></View>")).hasValue("photo_url");
        assertThat(LabelConfig.imageField("<View><Header value=\"$title\"/><Image name=\"a\" value=\"plain\"/>"
                + "<Image name=\"b\" value=\"$second.field\"/></View>")).hasValue("second.field");
        assertThat(LabelConfig.imageField("<View><image name=\"i\" value=\"$lower\"/></View>")).hasValue("lower");
        assertThat(LabelConfig.imageField("<View><Text name=\"t\" value=\"$text\"/></View>")).isEmpty();
        assertThat(LabelConfig.imageField("")).isEmpty();
        assertThat(LabelConfig.imageField(null)).isEmpty();
    }

    @Test
    void controlsKeepTheirOrderNamesTargetsAndChoiceMode() {
        String config = "<View>\n  <Image name=\"image\" value=\"$image\"/>\n"
                + "  <Choices name='choice' toName='image' choice='single-radio'><Choice value='a'/></Choices>\n"
                + "  <Labels toName=\"image\" name=\"lbl\"><Label value=\"x\"/></Labels>\n"
                + "  <Choices toName=\"image\"><Choice value=\"nameless\"/></Choices>\n"
                + "  <Style>.a > .b { color: red }</Style>\n</View>\n<!-- {\"data\": {\"image\": \"x.png\"}} -->";
        assertThat(LabelConfig.controls(config)).containsExactly(
                new LabelConfig.Control("choice", "choices", "image", false),
                new LabelConfig.Control("lbl", "labels", "image", false));
        assertThat(LabelConfig.readable(config)).isTrue();
    }

    @Test
    void repeatedUnclosedTagsAreAnsweredFast() {
        String config = "<a ".repeat(20_000);
        assertTimeoutPreemptively(FAST, () -> {
            assertThat(LabelConfig.controls(config)).isEmpty();
            assertThat(LabelConfig.imageField(config)).isEmpty();
            assertThat(LabelConfig.readable(config)).isFalse();
        });
    }

    @Test
    void manyUnclosedImageTagsAreAnsweredFast() {
        String config = "<Image ".repeat(140_000 / 7);
        assertTimeoutPreemptively(FAST, () -> {
            assertThat(LabelConfig.imageField(config)).isEmpty();
            assertThat(LabelConfig.controls(config)).isEmpty();
        });
    }

    @Test
    void manyAttributesWithoutClosingAreAnsweredFast() {
        String config = "<View><Choices " + "toName=\"image\" ".repeat(15_000);
        assertTimeoutPreemptively(FAST, () -> assertThat(LabelConfig.controls(config)).isEmpty());
    }

    @Test
    void configsPastTheSizeBoundAreNotRead() {
        String config = "<View><Image name=\"i\" value=\"$image\"/>" + " ".repeat(LabelConfig.MAX_CHARS) + "</View>";
        assertTimeoutPreemptively(FAST, () -> {
            assertThat(LabelConfig.imageField(config)).isEmpty();
            assertThat(LabelConfig.readable(config)).isFalse();
        });
    }

    @Test
    void deepNestingIsRefused() {
        String config = "<View>".repeat(10_000) + "<Image name=\"i\" value=\"$image\"/>" + "</View>".repeat(10_000);
        assertTimeoutPreemptively(FAST, () -> assertThat(LabelConfig.imageField(config)).isEmpty());
    }

    @Test
    void doctypesAndEntitiesAreRefused() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
                + "<View><Image name=\"i\" value=\"$image\"/><Text name=\"t\" value=\"&lol4;\"/></View>";
        String external = "<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<View><Image name=\"i\" value=\"$image\"/><Header value=\"&x;\"/></View>";
        assertTimeoutPreemptively(FAST, () -> {
            assertThat(LabelConfig.imageField(laughs)).isEmpty();
            assertThat(LabelConfig.imageField(external)).isEmpty();
            assertThat(LabelConfig.readable(external)).isFalse();
        });
    }

    @Test
    void malformedXmlHasNothing() {
        assertThat(LabelConfig.imageField("<View><Image name=\"i\" value=\"$image\">")).isEmpty();
        assertThat(LabelConfig.controls("not xml at all")).isEmpty();
    }
}
