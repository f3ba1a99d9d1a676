package dev.exemplar.analysis;

/** Two items (by index) and their similarity. */
public record Pair(int a, int b, float similarity) { }
