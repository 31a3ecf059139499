/** The {@code netbelief} command line ({@link org.netbelief.punch.cli.Main}): rendezvous and peer. */
package org.netbelief.punch.cli;
