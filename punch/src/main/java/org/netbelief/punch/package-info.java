/**
 * Hole punching: the protocol engines, their real UDP driver and the observer and policy
 * interfaces through which a model learns from and decides for them.
 *
 * <h2>The pieces</h2>
 *
 * <ul>
 *   <li>{@link org.netbelief.punch.PeerEngine} and {@link org.netbelief.punch.RendezvousEngine}:
 *       sans-I/O state machines ({@link org.netbelief.punch.Engine}). They never read a clock or
 *       touch a socket; time is an argument and output goes to an {@link
 *       org.netbelief.punch.EngineSink}.
 *   <li>{@link org.netbelief.punch.UdpDriver}: runs one engine on one {@code DatagramChannel}
 *       with a selector on one thread.
 *   <li>{@link org.netbelief.punch.PathObserver}: every authenticated packet event on a path
 *       (sent, acknowledged with its RTT, timed out, survived or lost a silence).
 *   <li>{@link org.netbelief.punch.PunchPolicy}: every decision (candidate order, retry pacing,
 *       give up and relay, keepalive interval, path lost); {@link
 *       org.netbelief.punch.DefaultPunchPolicy} uses fixed values.
 * </ul>
 *
 * <h2>A rendezvous and two peers in one process</h2>
 *
 * <pre>{@code
 * SecureRandom rnd = new SecureRandom();
 * InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
 * UdpDriver rvDriver = UdpDriver.open(loopback);
 * rvDriver.start(new RendezvousEngine(rvDriver.sink(events), rnd), "rendezvous");
 *
 * UdpDriver aDriver = UdpDriver.open(loopback);
 * PeerEngine alice = new PeerEngine(Identity.generate(rnd), "alice", rvDriver.localAddress(),
 *         List.of(aDriver.localAddress()), true, new DefaultPunchPolicy(), PathObserver.NONE,
 *         aDriver.sink(events), rnd);
 * aDriver.start(alice, "alice");
 * aDriver.execute(alice::start);                          // register
 * // ... bob likewise, then:
 * aDriver.execute(now -> alice.connect("bob", now));      // events: INTRODUCED, ESTABLISHED
 * aDriver.execute(now -> alice.send("bob", ByteBuffer.wrap(bytes), now));
 * }</pre>
 *
 * <p>The protocol is specified in {@code docs/protocol.md}; the command line in {@code
 * docs/cli.md}.
 */
package org.netbelief.punch;
