package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  @Test
  void parse_toString_roundTrip() {
    long ep = Endpoints.parse("198.51.100.254:65535");
    assertThat(Endpoints.toString(ep)).isEqualTo("198.51.100.254:65535");
    assertThat(Endpoints.port(ep)).isEqualTo(65535);
    assertThat(Endpoints.addressToString(Endpoints.address(ep))).isEqualTo("198.51.100.254");
  }

  @Test
  void socketAddress_roundTrip_highBitAddress() {
    long ep = Endpoints.parse("203.0.113.9:3478");
    InetSocketAddress sa = Endpoints.toSocketAddress(ep);
    assertThat(sa.getPort()).isEqualTo(3478);
    assertThat(sa.getAddress().getHostAddress()).isEqualTo("203.0.113.9");
    assertThat(Endpoints.of(sa)).isEqualTo(ep);
  }

  @Test
  void parse_badInput_refusedNamingIt() {
    assertThatThrownBy(() -> Endpoints.parse("192.0.2.300:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.0.2.300");
    assertThatThrownBy(() -> Endpoints.of(1, 70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
  }
}
