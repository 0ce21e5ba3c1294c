package dev.mta.server.dkim;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TXT lookups through Netty's resolver against a loopback DNS server: each way a query can end. */
class TxtResolverTest {
    @Test
    void recordsJoinedNothingThereAndServerFailure() throws Exception {
        String long1 = "v=DKIM1; k=rsa; p=" + "A".repeat(237);
        try (TxtResponder server = new TxtResponder()
                .txt("mail._domainkey.example.com", long1, "B".repeat(100))
                .txt("two._domainkey.example.com", "v=DKIM1; p=")
                .txt("two._domainkey.example.com", "v=spf1 -all")
                .noTxt("empty._domainkey.example.com")
                .servfail("broken._domainkey.example.com");
             TxtResolver dns = new TxtResolver(server.address(), Duration.ofSeconds(2))) {
            assertEquals(TxtAnswer.found(List.of(long1 + "B".repeat(100))), dns.lookup("mail._domainkey.example.com"));
            assertEquals(List.of("v=DKIM1; p=", "v=spf1 -all"), dns.lookup("two._domainkey.example.com").records());
            assertEquals(TxtAnswer.nodata(), dns.lookup("empty._domainkey.example.com"));
            assertEquals(TxtAnswer.nxdomain(), dns.lookup("none._domainkey.example.com"));
            assertEquals(TxtAnswer.failed("the DNS server answered SERVFAIL"), dns.lookup("broken._domainkey.example.com"));
        }
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TxtResolver dns = new TxtResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     silent.getLocalPort()), Duration.ofMillis(300))) {
            assertEquals(TxtAnswer.failed("timed out"), dns.lookup("mail._domainkey.example.com"));
        }
    }
}
