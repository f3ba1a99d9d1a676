/**
 * Label Studio's REST API as Exemplar uses it: the client ({@link dev.exemplar.labelstudio.LabelStudioClient})
 * and its wire types (tasks, projects, views, predictions, webhooks, ML backends, the label config). It
 * knows neither the store nor the engine nor the services built on it.
 */
package dev.exemplar.labelstudio;
