package dev.mta.mailbox.maildir;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaildirNameTest {
    @Test
    void readsSizesAndKeepsTheBaseWhenTheFileMovesToCur() {
        MaildirName inNew = MaildirName.parse("1700000000.M12P34Q5.host,S=120,W=124");
        MaildirName inCur = MaildirName.parse("1700000000.M12P34Q5.host,S=120,W=124:2,S");
        assertEquals(120, inNew.size());
        assertEquals(124, inNew.virtualSize());
        assertEquals("", inNew.info());
        assertEquals("2,S", inCur.info());
        assertEquals(inNew.uid(), inCur.uid());
        assertEquals("1700000000.M12P34Q5.host", inNew.uid());
        assertEquals("1700000000.M12P34Q5.host,S=120,W=124", inNew.newName());
    }

    @Test
    void aNameWithoutSizesIsStillAMessage() {
        MaildirName n = MaildirName.parse("1234.abc,X=1:2,");
        assertEquals("1234.abc,X=1", n.base());
        assertEquals(-1, n.size());
        assertEquals(-1, n.virtualSize());
    }

    @Test
    void aUidIsAlwaysWhatRfc1939Allows() {
        String longBase = "x".repeat(100);
        String uid = MaildirName.parse(longBase + ",S=1").uid();
        assertEquals(40, uid.length());
        assertTrue(uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7E));
        assertEquals(40, MaildirName.parse("with space").uid().length());
    }

    @Test
    void aUserNameIsOneFolder() {
        MailRoot root = new MailRoot(java.nio.file.Path.of("mail"));
        assertTrue(root.maildirOf("alice").endsWith(java.nio.file.Path.of("alice", "Maildir")));
        assertThrows(IllegalArgumentException.class, () -> root.maildirOf(".."));
        assertThrows(IllegalArgumentException.class, () -> root.maildirOf("a/b"));
    }
}
