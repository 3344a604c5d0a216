package io.tandem.gateway.client;

import io.vertx.core.buffer.Buffer;

/** Sees a provider's answer as it streams to the caller, without holding it back. */
public interface ResponseObserver {

    void head(int status, String contentType);

    /** Called before the chunk is written on to the caller. */
    void chunk(Buffer chunk);
}
