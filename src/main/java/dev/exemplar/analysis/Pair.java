package dev.exemplar.analysis;

/** Two items (by index) and their similarity. */
record Pair(int a, int b, float similarity) { }
