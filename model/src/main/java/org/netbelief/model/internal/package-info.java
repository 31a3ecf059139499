/**
 * Internals of the model: numerical kernels and data layouts that the public classes in
 * {@code org.netbelief.model} are built on. Not part of the API; may change without notice.
 */
package org.netbelief.model.internal;
