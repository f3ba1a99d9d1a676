/**
 * The Label Studio backend's durable state in one embedded SQLite database ({@code exemplar.db}
 * under the data directory): projects, tasks, cached features, order, links, duplicate groups,
 * views, annotations, propagated labels and the webhook event queue. Plain JDBC; {@link dev.exemplar.store.Store}
 * opens it and hands out one small repository per table group. Nothing here knows the engine, Label
 * Studio's API or the services that use it: features are arrays and bytes; JSON columns are read into
 * records here, once (a project's settings, annotation results, propagated labels), while event payloads
 * stay JSON text; states kept as words are enums ({@link dev.exemplar.store.SyncPhase},
 * {@link dev.exemplar.store.ReviewState}, {@link dev.exemplar.store.Role}) stored as the same words.
 */
package dev.exemplar.store;
