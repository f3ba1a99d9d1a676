/**
 * The ML backend's services over the Label Studio client, the store and the engine: project sync
 * ({@link dev.exemplar.backend.SyncService}, {@link dev.exemplar.backend.ProjectSync}), label propagation
 * to Label Studio ({@code LabelSpreading}), the review page's data and actions
 * ({@link dev.exemplar.backend.ProjectReview}), removal and the feature cache. The HTTP server sees only
 * {@link dev.exemplar.backend.Service} and the values it returns.
 */
package dev.exemplar.backend;
