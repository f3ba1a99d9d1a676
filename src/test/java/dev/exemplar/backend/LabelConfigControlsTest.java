package dev.exemplar.backend;

import dev.exemplar.json.Json;
import dev.exemplar.labelstudio.LabelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LabelConfigControlsTest {
    @Test
    void controlTagsAreReadWithTheirTypeTargetAndChoiceMode() {
        String config = "<View><Image name='image' value='$image'/>"
                + "<Choices name=\"kind\" toName=\"image\" choice=\"multiple\"><Choice value=\"a\"/></Choices>"
                + "<Taxonomy toName=\"image\" name=\"tax\"><Choice value=\"Animal\"/></Taxonomy>"
                + "<Taxonomy toName=\"image\" name=\"one\" maxUsages=\"1\"><Choice value=\"Animal\"/></Taxonomy>"
                + "<RectangleLabels name=\"box\" toName=\"image\"><Label value=\"car\"/></RectangleLabels>"
                + "<TextArea name=\"notes\" toName=\"image\"/></View><!-- {\"data\": {}} -->";
        assertThat(LabelConfig.controls(config)).containsExactly(
                new LabelConfig.Control("kind", "choices", "image", true),
                new LabelConfig.Control("tax", "taxonomy", "image", true),
                new LabelConfig.Control("one", "taxonomy", "image", false),
                new LabelConfig.Control("box", "rectanglelabels", "image", false),
                new LabelConfig.Control("notes", "textarea", "image", false));
    }

    @Test
    void taxonomyPathsAreVotedOnAsOneValueEachAndWrittenBackAsPaths() throws Exception {
        var tax = new LabelConfig.Control("tax", "taxonomy", "image", true);
        var item = Json.MAPPER.readTree("{\"from_name\": \"tax\", \"value\": {\"taxonomy\": [[\"Animal\", \"Cat\"], [\"Plant\"]]}}");
        assertThat(LabelSpreading.values(tax, item)).containsExactly("Animal / Cat", "Plant");
        assertThat(LabelSpreading.item(tax, List.of("Animal / Cat")).get("value").toString()).isEqualTo("{\"taxonomy\":[[\"Animal\",\"Cat\"]]}");
    }
}
