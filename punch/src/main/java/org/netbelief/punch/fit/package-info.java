/**
 * Fitting and evaluation glue for the command line ({@code fit}, {@code evaluate}): pictures
 * of how well beliefs predict. The fitting itself is {@code org.netbelief.model.fit}.
 */
package org.netbelief.punch.fit;
