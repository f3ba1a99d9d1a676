package dev.exemplar.propagation;

/** How the labelling queue is worked. */
public enum QueueOrder {
    /** The summary order, from its start. */
    SUMMARY,
    /** The summary order for a first batch, then after each batch the items {@link AdaptiveQueue} puts first. */
    ADAPTIVE
}
