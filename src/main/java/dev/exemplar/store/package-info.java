/**
 * The Label Studio backend's durable state in one embedded SQLite database ({@code exemplar.db}
 * under the data directory): projects, tasks, cached features, order, links, duplicate groups,
 * views and the webhook event queue. Plain JDBC; {@link dev.exemplar.store.Store} opens it and
 * hands out one small repository per table group. Nothing here knows the engine or Label Studio's
 * API: features are arrays and bytes, settings and payloads are JSON text.
 */
package dev.exemplar.store;
