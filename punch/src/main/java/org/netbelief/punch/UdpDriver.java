package org.netbelief.punch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.netbelief.punch.wire.Frame;

/**
 * The real driver: one non-blocking {@link DatagramChannel} and a {@link Selector} on one thread
 * run one {@link Engine}. The loop reads the clock once per cycle and passes it down, receives
 * into one reused direct buffer (stamping each datagram with its receive time), runs the engine's timer at its next deadline, and counts I/O and
 * engine errors without ever stopping. Other threads talk to the engine only through {@link
 * #execute}, which runs the task on the loop thread.
 *
 * <pre>{@code
 * try (UdpDriver driver = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0))) {
 *     RendezvousEngine rv = new RendezvousEngine(driver.sink(events), new SecureRandom());
 *     driver.start(rv, "rendezvous");
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link DatagramChannel#receive} allocates the source address object per datagram (a JDK
 * limitation of this API); nothing else on the loop allocates per packet.
 */
public final class UdpDriver implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(Frame.MAX_DATAGRAM + 64);
    private final Queue<LongConsumer> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile LossHook lossHook = LossHook.NONE;
    private volatile boolean running;
    private volatile Throwable lastError;
    private Thread thread;
    private Engine engine;
    /** The rendezvous's alternate sockets (index {@code Frame.SOCKET_*}), null when none. */
    private final DatagramChannel[] alternates = new DatagramChannel[3];

    private UdpDriver(DatagramChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Opens a socket bound to {@code bind} (port 0 picks a free port).
     *
     * @param bind the local address
     * @return the driver, not yet running
     * @throws IOException when the socket cannot be opened or bound
     */
    public static UdpDriver open(InetSocketAddress bind) throws IOException {
        DatagramChannel ch = openChannel(bind);
        try {
            Selector sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            return new UdpDriver(ch, sel);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens the two alternate sockets a rendezvous answers NAT behaviour discovery from (RFC
     * 5780): one on the primary address at another port and one on another address at that
     * port. Call before {@link #start}, which then needs a {@link RendezvousEngine} made with
     * the same two endpoints (as peers reach them).
     *
     * <pre>{@code
     * driver.openAlternates(new InetSocketAddress("127.0.0.1", 7001), new InetSocketAddress("127.0.0.2", 7001));
     * }</pre>
     *
     * @param altPort the primary address at the alternate port
     * @param altAddress the alternate address at the alternate port
     * @throws IOException when a socket cannot be opened or bound (none stays open then)
     * @throws IllegalStateException when already started or already opened
     */
    public synchronized void openAlternates(InetSocketAddress altPort, InetSocketAddress altAddress) throws IOException {
        if (thread != null || alternates[Frame.SOCKET_ALT_PORT] != null) {
            throw new IllegalStateException("alternates must be opened once, before start");
        }
        DatagramChannel a = null;
        DatagramChannel b = null;
        try {
            a = openChannel(altPort);
            b = openChannel(altAddress);
            a.register(selector, SelectionKey.OP_READ);
            b.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            throw e;
        }
        alternates[Frame.SOCKET_ALT_PORT] = a;
        alternates[Frame.SOCKET_ALT_ADDRESS] = b;
    }

    private static DatagramChannel openChannel(InetSocketAddress bind) throws IOException {
        DatagramChannel ch = DatagramChannel.open(bind.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.bind(bind);
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The bound address of an alternate socket.
     *
     * @param socket {@code Frame.SOCKET_ALT_PORT} or {@code Frame.SOCKET_ALT_ADDRESS}
     * @return the local address, or null when the alternates are not open
     * @throws IOException when the socket is closed
     */
    public InetSocketAddress alternateAddress(int socket) throws IOException {
        DatagramChannel ch = socket == Frame.SOCKET_ALT_PORT || socket == Frame.SOCKET_ALT_ADDRESS ? alternates[socket] : null;
        return ch == null ? null : (InetSocketAddress) ch.getLocalAddress();
    }

    /**
     * The bound address.
     *
     * @return the local address and port
     * @throws IOException when the socket is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * A sink for the engine: datagrams go to this driver's socket, events and data to {@code app}.
     *
     * @param app receives events and data (on the loop thread)
     * @return the sink to construct the engine with
     */
    public EngineSink sink(EngineSink app) {
        Objects.requireNonNull(app, "app");
        return new EngineSink() {
            @Override
            public void send(ByteBuffer datagram, InetSocketAddress to) {
                transmit(channel, datagram, to);
            }

            @Override
            public void send(ByteBuffer datagram, InetSocketAddress to, int fromSocket) {
                DatagramChannel ch = fromSocket > 0 && fromSocket < alternates.length ? alternates[fromSocket] : null;
                transmit(ch == null ? channel : ch, datagram, to);
            }

            @Override
            public void event(PunchEvent event) {
                app.event(event);
            }

            @Override
            public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
                app.data(peerId, payload, relayed, nowNanos);
            }
        };
    }

    /**
     * Sets the drop predicate (tests).
     *
     * @param hook the hook; {@link LossHook#NONE} to drop nothing
     */
    public void lossHook(LossHook hook) {
        this.lossHook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Starts the loop thread.
     *
     * @param engine the engine to run (its sink should come from {@link #sink})
     * @param name thread name
     * @throws IllegalStateException when already started
     */
    public synchronized void start(Engine engine, String name) {
        if (thread != null) {
            throw new IllegalStateException("driver already started");
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        if (alternates[Frame.SOCKET_ALT_PORT] != null && !(engine instanceof RendezvousEngine)) {
            throw new IllegalStateException("alternate sockets serve a RendezvousEngine, got " + engine.getClass().getSimpleName());
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs a task on the loop thread with the loop's current time (engine calls from other threads
     * must go through here).
     *
     * @param task receives {@code nowNanos}
     */
    public void execute(LongConsumer task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** @return I/O and engine errors counted so far (the loop never stops for them) */
    public long errors() {
        return errors.get();
    }

    /** @return the last error seen, or null */
    public Throwable lastError() {
        return lastError;
    }

    /** @return datagrams received (after the loss hook) */
    public long received() {
        return received.get();
    }

    /** @return datagrams sent (after the loss hook) */
    public long sent() {
        return sent.get();
    }

    private void transmit(DatagramChannel ch, ByteBuffer datagram, InetSocketAddress to) {
        if (lossHook.drop(true, to)) {
            return;
        }
        try {
            ch.send(datagram, to);
            sent.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            error(e);
        }
    }

    private void error(Throwable e) {
        errors.incrementAndGet();
        lastError = e;
    }

    private void loop() {
        while (running) {
            try {
                long now = System.nanoTime();
                long deadline = engine.nextDeadlineNanos();
                if (deadline <= now || !tasks.isEmpty()) {
                    selector.selectNow();
                } else if (deadline == Long.MAX_VALUE) {
                    selector.select();
                } else {
                    selector.select(Math.max(1, (deadline - now + 999_999) / 1_000_000));
                }
                selector.selectedKeys().clear();
                now = System.nanoTime(); // the clock is read once per cycle and passed down
                for (LongConsumer task; (task = tasks.poll()) != null;) {
                    try {
                        task.accept(now);
                    } catch (RuntimeException e) {
                        error(e);
                    }
                }
                drain(channel, Frame.SOCKET_PRIMARY);
                if (alternates[Frame.SOCKET_ALT_PORT] != null) {
                    drain(alternates[Frame.SOCKET_ALT_PORT], Frame.SOCKET_ALT_PORT);
                    drain(alternates[Frame.SOCKET_ALT_ADDRESS], Frame.SOCKET_ALT_ADDRESS);
                }
                if (engine.nextDeadlineNanos() <= now) {
                    engine.onTimer(now);
                }
            } catch (IOException | RuntimeException e) {
                error(e);
            }
        }
    }

    private void drain(DatagramChannel ch, int socket) {
        for (int i = 0; i < 1024; i++) { // bounded so timers and tasks still run under a flood
            rx.clear();
            SocketAddress from;
            try {
                from = ch.receive(rx);
            } catch (IOException e) {
                error(e); // e.g. ICMP port unreachable surfacing on Linux; keep going
                continue;
            }
            if (from == null) {
                return;
            }
            InetSocketAddress src = (InetSocketAddress) from;
            if (lossHook.drop(false, src)) {
                continue;
            }
            received.incrementAndGet();
            rx.flip();
            try {
                // Receive time per datagram (not per cycle): an answer drained in the same cycle
                // as its request must still show a non-zero round trip.
                if (socket == Frame.SOCKET_PRIMARY) {
                    engine.onDatagram(rx, src, System.nanoTime());
                } else {
                    ((RendezvousEngine) engine).onDatagram(rx, src, socket, System.nanoTime());
                }
            } catch (RuntimeException e) {
                error(e);
            }
        }
    }

    /** Stops the loop, waits for it, and closes the socket. Idempotent. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            error(e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            error(e);
        }
        for (DatagramChannel ch : alternates) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    error(e);
                }
            }
        }
    }
}
