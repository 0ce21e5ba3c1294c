package dev.mta.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The metrics listener's three routes, all GET: {@code /metrics} (the Prometheus text format), {@code /health/live}
 * (200 while the process runs) and {@code /health/ready} (200, or 503 with the reason). Other paths are 404, other
 * methods on these 405. Requests come whole from Netty's codec and aggregator; one instance serves every connection.
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
    /** The Prometheus text exposition format's content type (what Micrometer's scrape() writes). */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Supplier<String> scrape;
    private final Readiness readiness;

    HttpRoutes(Supplier<String> scrape, Readiness readiness) {
        this.scrape = scrape;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        boolean known = path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
        if (!known) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "not found: GET /metrics, /health/live or /health/ready\n",
                    HttpUtil.isKeepAlive(req));
            return;
        }
        if (!HttpMethod.GET.equals(req.method())) {
            FullHttpResponse r = response(req, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET\n", ctx);
            r.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            write(ctx, r, HttpUtil.isKeepAlive(req));
            return;
        }
        switch (path) {
            case "/metrics":
                send(ctx, req, HttpResponseStatus.OK, METRICS_CONTENT_TYPE, scrape.get(), HttpUtil.isKeepAlive(req));
                break;
            case "/health/live":
                send(ctx, req, HttpResponseStatus.OK, TEXT, "live\n", HttpUtil.isKeepAlive(req));
                break;
            default:
                Readiness.Status s = readiness.check();
                send(ctx, req, s.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                        s.reason() + "\n", HttpUtil.isKeepAlive(req));
        }
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
                             String body, boolean keepAlive) {
        write(ctx, response(req, status, type, body, ctx), keepAlive);
    }

    private static FullHttpResponse response(FullHttpRequest req, HttpResponseStatus status, String type, String body,
                                             ChannelHandlerContext ctx) {
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(r, content.readableBytes());
        return r;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        HttpUtil.setKeepAlive(r, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("metrics connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
