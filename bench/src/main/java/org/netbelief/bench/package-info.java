/** JMH benchmarks of netbelief's hot paths. */
package org.netbelief.bench;
