/**
 * What may be fetched, from where, and how much: the one policy the command line and the backend's Label Studio
 * client both apply to images they read from a host or a disk. It knows hosts and paths, so the engine (which only
 * sees bytes) never depends on it; it depends on no other package of the program, so both the command line and
 * the Label Studio client may use it without a cycle.
 */
package dev.exemplar.fetch;
