package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The outcome of one SPF check, with what Authentication-Results (RFC 8601: {@code spf=<result>
 * <identity.property()>=<domain>}) and Received-SPF (RFC 7208 9.1, {@link ReceivedSpfHeader}) report.
 *
 * @param result      none, neutral, pass, fail, softfail, temperror or permerror
 * @param identity    the identity checked
 * @param domain      the domain checked: the MAIL FROM domain, or the HELO name (also for a null sender)
 * @param sender      the sender checked ("postmaster@" the HELO name for a null MAIL FROM or a HELO check)
 * @param client      the client's address
 * @param helo        the HELO/EHLO name as given, empty if none
 * @param explanation for fail only: the domain's explanation (exp=), else the default one (RFC 7208 6.2)
 * @param problem     for temperror and permerror: what went wrong, for logs and the Received-SPF problem key
 */
public record SpfResult(AuthResult result, SpfIdentity identity, String domain, String sender, InetAddress client,
                        String helo, Optional<String> explanation, Optional<String> problem) {
}
