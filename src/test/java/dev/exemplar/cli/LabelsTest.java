package dev.exemplar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which column of a labels file holds the labels. */
class LabelsTest {
    @TempDir
    Path tmp;

    /** The shape of the development sets' truth.csv: the group, a class and more after the file name. */
    private static final String TRUTH = """
            file,group,class,dup,source
            images/a.jpg,c001,town/roadsigns,,pkg:a.png
            images/b.jpg,c002,people/smilies,c002,pkg:b.png
            """;

    @Test
    void aWideFileTakesTheColumnNamedClassAndSaysSo() throws IOException {
        Path csv = Files.writeString(tmp.resolve("truth.csv"), TRUTH);
        Labels.FromFile labels = Labels.fromFile(csv, null);
        assertThat(labels.labelOf().apply("images/a.jpg")).isEqualTo("town/roadsigns");
        assertThat(labels.labelOf().apply("b.jpg")).isEqualTo("people/smilies");
        assertThat(labels.describe(csv)).isEqualTo(csv + ", column class");
    }

    @Test
    void aNamedColumnIsTaken() throws IOException {
        Path csv = Files.writeString(tmp.resolve("truth.csv"), TRUTH);
        assertThat(Labels.fromFile(csv, "group").labelOf().apply("a.jpg")).isEqualTo("c001");
    }

    @Test
    void aWideFileWithoutALabelColumnIsRefused() throws IOException {
        Path csv = Files.writeString(tmp.resolve("wide.csv"), "file,group,source\na.jpg,c1,x\n");
        assertThatThrownBy(() -> Labels.fromFile(csv, null)).isInstanceOf(IOException.class)
                .hasMessage("its rows have 3 columns and none is named label or class: name the label's with --label-column "
                        + "(the first row: file,group,source)");
    }

    @Test
    void twoColumnsGiveTheSecond() throws IOException {
        Labels.FromFile plain = Labels.fromFile(Files.writeString(tmp.resolve("plain.csv"), "a.jpg,cat\nb.jpg,dog\n"), null);
        assertThat(plain.labelOf().apply("a.jpg")).isEqualTo("cat");
        assertThat(plain.column()).isNull();
        Labels.FromFile headed = Labels.fromFile(Files.writeString(tmp.resolve("headed.csv"), "file,label\na.jpg,cat\n"), null);
        assertThat(headed.labelOf().apply("a.jpg")).isEqualTo("cat");
        assertThat(headed.column()).isEqualTo("label");
    }

    @Test
    void imageFieldOnAFolderIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.write(dir.resolve("a.jpg"), CliFixtures.jpeg(CliFixtures.drawn(1)));
        CliFixtures.Outcome o = CliFixtures.run("summarize", dir.toString(), "--out", tmp.resolve("r.json").toString(),
                "--image-field", "image");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("error: --image-field applies only to a Label Studio tasks export; SOURCE " + dir + " is a folder");
    }
}
