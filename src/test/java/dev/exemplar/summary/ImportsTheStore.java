package dev.exemplar.summary;

import dev.exemplar.store.Store;

/** An engine class that breaks the layers on purpose: the layer test must catch it. Test code only. */
public final class ImportsTheStore {
    Store store;

    private ImportsTheStore() { }
}
