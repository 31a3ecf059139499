/** Hole punching: the protocol, the sans-I/O engine, its drivers and the command line. */
package org.netbelief.punch;
