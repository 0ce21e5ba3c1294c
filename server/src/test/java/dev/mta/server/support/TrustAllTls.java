package dev.mta.server.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** A TLS client that takes any certificate (the MTA's own is self-signed), for tests only. */
public final class TrustAllTls {
    private TrustAllTls() {
    }

    public static SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS over {@code plain} (after STARTTLS's 220), handshake done. */
    public static SSLSocket layer(Socket plain, InetSocketAddress address) throws IOException {
        SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket(plain, address.getHostString(),
                address.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        return s;
    }

    /** The server's certificate on {@code s}. */
    public static X509Certificate peer(SSLSocket s) throws IOException {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
}
