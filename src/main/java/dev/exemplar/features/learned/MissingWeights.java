package dev.exemplar.features.learned;

import java.io.IOException;
import java.nio.file.Path;

/** A file of the network's weights is not where it is looked for. */
public final class MissingWeights extends IOException {
    private final Path file;

    MissingWeights(Path file) {
        super(file + " is missing: run mvn package with access to registry.npmjs.org, which fetches the network into "
                + "target/network (or point -Dexemplar.network.dir at a copy of it)");
        this.file = file;
    }

    /** The file looked for. */
    public Path file() {
        return file;
    }
}
