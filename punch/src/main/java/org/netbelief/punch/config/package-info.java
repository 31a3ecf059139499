/**
 * The model configuration file: per factor (evidence table) a half-life, a root prior and the
 * strengths of its feature levels, as a documented JSON format that {@code simulate --model
 * FILE}, {@code peer --model FILE} and the API load alike. See {@link
 * org.netbelief.punch.config.ModelConfigFiles} for the format.
 */
package org.netbelief.punch.config;
