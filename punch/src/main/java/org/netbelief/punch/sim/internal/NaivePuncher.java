package org.netbelief.punch.sim.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.netbelief.punch.sim.SimApplication;
import org.netbelief.punch.sim.SimSocket;

/**
 * A deliberately simple hole puncher, for testing the simulated network end to end (the real
 * engine lives in {@code org.netbelief.punch}).
 *
 * <p>It registers with a {@link NaiveRendezvous} and re-registers every {@code keepalive} to keep
 * its mapping there alive. {@link #connect} asks the rendezvous to introduce a peer; on an
 * introduction both sides send {@code INTRO} to the other's server-reflexive endpoint every
 * {@code interval}, up to {@code maxIntros} rounds. Every {@code INTRO} is answered with an
 * {@code ACK} to its source, and the source becomes a candidate too (peer-reflexive). The first
 * {@code ACK} establishes the session; running out of rounds gives up.
 *
 * <p>Wire format, big-endian: one type byte, then the sender's peer id (int), then for
 * {@code INTRODUCE} the introduced peer's id (int) and endpoint (long), for {@code CONNECT} the
 * target id (int).
 */
public final class NaivePuncher implements SimApplication {
  static final byte REGISTER = 'R';
  static final byte CONNECT = 'C';
  static final byte INTRODUCE = 'N';
  static final byte INTRO = 'I';
  static final byte ACK = 'A';

  /** Told about session outcomes. */
  public interface Listener {
    /** The first ACK from {@code peer} arrived. */
    void established(int self, int peer, long fromEndpoint, long nowNanos);

    /** All rounds went unanswered. */
    void gaveUp(int self, int peer, long nowNanos);

    /** A datagram was sent to {@code peer} (an intro or an ack). */
    default void sentToPeer(int self, int peer) {}
  }

  private static final class Session {
    final int peer;
    final List<Long> candidates = new ArrayList<>();
    int rounds;
    boolean established;
    boolean gaveUp;

    Session(int peer) {
      this.peer = peer;
    }
  }

  private final int id;
  private final long rendezvous;
  private final long interval;
  private final int maxIntros;
  private final long keepalive;
  private final Listener listener;
  private final Map<Integer, Session> sessions = new LinkedHashMap<>();
  private final ByteBuffer out = ByteBuffer.allocate(32);
  private SimSocket socket;
  private long nextKeepalive;
  private long nextRound = Long.MAX_VALUE;
  private long sent;

  /** Creates a puncher with peer id {@code id} that registers at {@code rendezvous}. */
  public NaivePuncher(int id, long rendezvous, long intervalNanos, int maxIntros,
      long keepaliveNanos, Listener listener) {
    this.id = id;
    this.rendezvous = rendezvous;
    this.interval = intervalNanos;
    this.maxIntros = maxIntros;
    this.keepalive = keepaliveNanos;
    this.listener = listener;
  }

  /** Datagrams this puncher has sent. */
  public long sent() {
    return sent;
  }

  /** Whether a session with {@code peer} is established. */
  public boolean isEstablished(int peer) {
    Session s = sessions.get(peer);
    return s != null && s.established;
  }

  @Override
  public void onStart(SimSocket s, long now) {
    socket = s;
    send(rendezvous, REGISTER, -1, 0);
    nextKeepalive = now + keepalive;
    arm();
  }

  /** Asks the rendezvous to introduce {@code peer}. */
  public void connect(int peer, long now) {
    send(rendezvous, CONNECT, peer, 0);
  }

  @Override
  public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
    if (length < 5) {
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(data, offset, length);
    byte type = in.get();
    int sender = in.getInt();
    if (type == INTRODUCE && length >= 17) {
      int peer = in.getInt();
      long endpoint = in.getLong();
      Session session = session(peer);
      if (session.established || session.gaveUp) {
        // A new request for a pair met before: punch afresh.
        session.established = false;
        session.gaveUp = false;
        session.rounds = 0;
      }
      addCandidate(session, endpoint);
      punch(session, now);
    } else if (type == INTRO) {
      Session session = session(sender);
      addCandidate(session, from);
      send(from, ACK, -1, 0);
      if (listener != null) {
        listener.sentToPeer(id, sender);
      }
    } else if (type == ACK) {
      Session session = session(sender);
      addCandidate(session, from);
      if (!session.established) {
        session.established = true;
        if (listener != null) {
          listener.established(id, sender, from, now);
        }
      }
    }
  }

  private Session session(int peer) {
    return sessions.computeIfAbsent(peer, Session::new);
  }

  private static void addCandidate(Session s, long endpoint) {
    if (!s.candidates.contains(endpoint)) {
      s.candidates.add(endpoint);
    }
  }

  private void punch(Session s, long now) {
    if (s.established || s.rounds >= maxIntros) {
      return;
    }
    s.rounds++;
    for (long c : s.candidates) {
      send(c, INTRO, -1, 0);
      if (listener != null) {
        listener.sentToPeer(id, s.peer);
      }
    }
    if (nextRound == Long.MAX_VALUE) {
      nextRound = now + interval;
      arm();
    }
  }

  @Override
  public void onTimer(SimSocket s, long now) {
    if (now >= nextKeepalive) {
      send(rendezvous, REGISTER, -1, 0);
      nextKeepalive = now + keepalive;
    }
    if (now >= nextRound) {
      nextRound = Long.MAX_VALUE;
      for (Session session : sessions.values()) {
        if (session.established || session.gaveUp || session.candidates.isEmpty()) {
          continue;
        }
        if (session.rounds >= maxIntros) {
          session.gaveUp = true;
          if (listener != null) {
            listener.gaveUp(id, session.peer, now);
          }
        } else {
          punch(session, now);
        }
      }
    }
    arm();
  }

  private void arm() {
    socket.setTimer(Math.min(nextKeepalive, nextRound));
  }

  private void send(long to, byte type, int peer, long endpoint) {
    out.clear();
    out.put(type).putInt(id);
    if (type == CONNECT) {
      out.putInt(peer);
    } else if (type == INTRODUCE) {
      out.putInt(peer).putLong(endpoint);
    }
    sent++;
    socket.send(to, out.array(), 0, out.position());
  }

  /** The rendezvous that {@link NaivePuncher}s register with and are introduced by. */
  public static final class NaiveRendezvous implements SimApplication {
    private final Map<Integer, Long> registered = new LinkedHashMap<>();
    private final ByteBuffer out = ByteBuffer.allocate(32);

    /** The endpoint {@code peer} registered from, or -1. */
    public long registeredEndpoint(int peer) {
      return registered.getOrDefault(peer, -1L);
    }

    @Override
    public void onStart(SimSocket s, long now) {}

    @Override
    public void onDatagram(SimSocket s, byte[] data, int offset, int length, long from, long now) {
      if (length < 5) {
        return;
      }
      ByteBuffer in = ByteBuffer.wrap(data, offset, length);
      byte type = in.get();
      int sender = in.getInt();
      if (type == REGISTER) {
        registered.put(sender, from);
      } else if (type == CONNECT && length >= 9) {
        int target = in.getInt();
        Long targetEp = registered.get(target);
        if (targetEp == null) {
          return;
        }
        registered.put(sender, from);
        introduce(s, from, target, targetEp);
        introduce(s, targetEp, sender, from);
      }
    }

    private void introduce(SimSocket s, long to, int peer, long endpoint) {
      out.clear();
      out.put(INTRODUCE).putInt(-1).putInt(peer).putLong(endpoint);
      s.send(to, out.array(), 0, out.position());
    }

    @Override
    public void onTimer(SimSocket s, long now) {}
  }
}
