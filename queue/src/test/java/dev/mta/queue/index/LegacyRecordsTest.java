package dev.mta.queue.index;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Last errors written as text by formats 1 and 2 come back typed, so an expiry after the upgrade keeps its reason. */
class LegacyRecordsTest {
    @Test
    void aNextHopsReplyComesBackWithItsStatusAndRemoteMta() {
        String text = "mx.example.net[192.0.2.7]:25 said: 450 4.2.1 mailbox busy";
        Outcome o = LegacyRecords.lastError(text);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals(450, o.replyCode());
        assertEquals(EnhancedStatus.of(4, 2, 1), o.status());
        assertEquals("450 4.2.1 mailbox busy", o.text());
        assertEquals("mx.example.net", o.remoteMta().dnsName());
        assertEquals(25, o.remoteMta().address().getPort());
        assertEquals(text, o.detail(), "the queue listing shows what it showed before the upgrade");
    }

    @Test
    void aReplyWithoutItsHostAndAProblemMetHereKeepTheirWords() {
        Outcome reply = LegacyRecords.lastError("451 4.3.0 try later");
        assertEquals(451, reply.replyCode());
        assertEquals(EnhancedStatus.of(4, 3, 0), reply.status());
        assertNull(reply.remoteMta());
        assertEquals("451 4.3.0 try later", reply.detail());

        Outcome local = LegacyRecords.lastError("4.4.1 connect to mx.example.net[192.0.2.7]:25: Connection refused");
        assertFalse(local.isReply());
        assertEquals(EnhancedStatus.of(4, 4, 1), local.status());
        assertEquals("4.4.1 connect to mx.example.net[192.0.2.7]:25: Connection refused", local.detail());

        Outcome unknown = LegacyRecords.lastError("something else went wrong");
        assertEquals(EnhancedStatus.of(4, 0, 0), unknown.status());
        assertEquals("something else went wrong", unknown.detail());
    }

    @Test
    void aHostInBracketsIsNeverLookedUp() {
        Outcome o = LegacyRecords.lastError("mx.example.net[not-an-address.example]:25 said: 450 busy");
        assertNull(o.remoteMta(), "only address literals are taken");
        assertEquals(450, o.replyCode());
    }
}
