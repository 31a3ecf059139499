package org.netbelief.punch.sim;

/**
 * A connection policy under test (the netbelief engine, a baseline, the oracle): what
 * {@link Simulation#run} drives over a scenario.
 *
 * <p>{@link #setUp} binds the policy's applications (a rendezvous on
 * {@link Population#rendezvousHost()}, one peer per {@link Population#host(int)}); then, at each
 * scheduled request, {@link #connect} asks the initiator's application to connect and
 * {@link #close} ends it when its hold time is over. The policy fills the
 * {@link ConnectionRecord} it is handed as things happen (direct, relay, packets, keepalives,
 * holes lost, predictions).
 */
public interface Policy {
  /** Name of the policy in the report, such as {@code "netbelief"} or {@code "ice-like"}. */
  String name();

  /** Binds the policy's applications on a freshly built network. */
  void setUp(SimNetwork net, Population population);

  /** The initiator asks for a connection to the target, now. */
  void connect(ScenarioSchedule.ConnectionRequest request, ConnectionRecord record, long nowNanos);

  /** The connection is no longer wanted; the record's end is already set. */
  void close(ScenarioSchedule.ConnectionRequest request, ConnectionRecord record, long nowNanos);
}
