package io.tandem.identity.client;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body of which the proxy already read the start (to check it): that start first, then the rest
 * as it streams in, with the rest's back-pressure.
 */
public final class PrefixedReadStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> rest;
    private Buffer prefix;
    private Handler<Buffer> handler;

    public PrefixedReadStream(Buffer prefix, ReadStream<Buffer> rest) {
        this.prefix = prefix;
        this.rest = rest;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        rest.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.handler = handler;
        rest.handler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        rest.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        emitPrefix();
        rest.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        if (amount > 0 && emitPrefix()) {
            amount--;
        }
        rest.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        rest.endHandler(endHandler);
        return this;
    }

    private boolean emitPrefix() {
        if (prefix == null || handler == null) {
            return false;
        }
        Buffer start = prefix;
        prefix = null;
        handler.handle(start);
        return true;
    }
}
