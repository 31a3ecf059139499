/** Internals of the simulator: primitive event queue, packet pool, hash maps, NAT tables. */
package org.netbelief.punch.sim.internal;
