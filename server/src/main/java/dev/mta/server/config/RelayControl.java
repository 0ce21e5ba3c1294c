package dev.mta.server.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who may relay through this MTA (the --mynetworks, --relay-domains, --local-domains and --relay-recipients
 * options). Recipients in relay and local domains are taken from anyone; every other recipient only from a client
 * in {@code mynetworks} (or, once AUTH exists, an authenticated one). {@link #DEFAULT}: loopback only, no domains.
 *
 * @param recipientsFile the relay recipient table's file; null for none (relay-domain recipients are not checked)
 */
public record RelayControl(List<Cidr> mynetworks, DomainList relayDomains, DomainList localDomains, Path recipientsFile) {
    /** Loopback clients may relay anywhere; nobody else may relay at all. */
    public static final RelayControl DEFAULT = new RelayControl(networks(Defaults.MYNETWORKS),
            DomainList.parse(Defaults.RELAY_DOMAINS), DomainList.parse(Defaults.LOCAL_DOMAINS), null);

    public RelayControl {
        mynetworks = List.copyOf(mynetworks);
    }

    /** Reads a list of networks separated by commas or white space; an error names the bad entry. */
    public static List<Cidr> networks(String text) {
        List<Cidr> out = new ArrayList<>();
        if (text != null) {
            for (String entry : text.strip().split("[,\\s]+")) {
                if (!entry.isEmpty()) {
                    out.add(Cidr.parse(entry));
                }
            }
        }
        return out;
    }

    /** Whether {@code client} is in mynetworks (false when the address is not known). */
    public boolean inMynetworks(InetAddress client) {
        for (Cidr c : mynetworks) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Whether mail to {@code domain} is ours to take from anyone: a relay or a local domain. */
    public boolean isOurs(String domain) {
        return relayDomains.matches(domain) || localDomains.matches(domain);
    }

    /** The networks as the option writes them ("none" for an empty list). */
    public String mynetworksText() {
        return mynetworks.isEmpty() ? "none" : mynetworks.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }
}
