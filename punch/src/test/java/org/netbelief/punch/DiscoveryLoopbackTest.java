package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.Frame;

/**
 * Real UDP on loopback: a rendezvous on 127.0.0.1 with its alternate sockets on 127.0.0.1 (another
 * port) and 127.0.0.2 answers a peer's discovery; without a NAT the peer finds EIM/EIF, which
 * needs the answer from the alternate address to have arrived.
 */
@Timeout(30)
class DiscoveryLoopbackTest {
    private final SecureRandom rnd = new SecureRandom();
    private UdpDriver rvDriver;
    private UdpDriver peerDriver;

    @AfterEach
    void tearDown() {
        for (UdpDriver d : new UdpDriver[] {peerDriver, rvDriver}) {
            if (d != null) {
                d.close();
            }
        }
    }

    @Test
    void rendezvous_answersFromItsAlternateSockets_peerFindsEimEif() throws Exception {
        rvDriver = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0));
        rvDriver.openAlternates(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.2", 0));
        InetSocketAddress altPort = rvDriver.alternateAddress(Frame.SOCKET_ALT_PORT);
        InetSocketAddress altAddress = rvDriver.alternateAddress(Frame.SOCKET_ALT_ADDRESS);
        UdpLoopbackTest.Inbox rvInbox = new UdpLoopbackTest.Inbox();
        RendezvousEngine rv = new RendezvousEngine(rvDriver.sink(rvInbox), rnd, altPort, altAddress);
        rvDriver.start(rv, "rendezvous");

        peerDriver = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0));
        UdpLoopbackTest.Inbox inbox = new UdpLoopbackTest.Inbox();
        PeerEngine peer = new PeerEngine(Identity.generate(rnd), "alice", rvDriver.localAddress(), List.of(), true,
                new DefaultPunchPolicy(), PathObserver.NONE, peerDriver.sink(inbox), rnd);
        peerDriver.start(peer, "peer");
        peerDriver.execute(peer::start);
        inbox.await(PunchEvent.Kind.REGISTERED);

        int natClass = 0;
        for (int i = 0; i < 100 && natClass == 0; i++) {
            CompletableFuture<Integer> c = new CompletableFuture<>();
            peerDriver.execute(now -> c.complete(peer.natClass()));
            natClass = c.get(5, TimeUnit.SECONDS);
            if (natClass == 0) {
                Thread.sleep(50);
            }
        }
        assertThat(NatClass.name(natClass)).isEqualTo("EIM/EIF");
        assertThat(altAddress.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        CompletableFuture<Long> drops = new CompletableFuture<>();
        rvDriver.execute(now -> drops.complete(rv.totalDrops()));
        assertThat(drops.get(5, TimeUnit.SECONDS)).isZero();
    }
}
