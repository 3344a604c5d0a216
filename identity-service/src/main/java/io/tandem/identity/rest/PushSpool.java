package io.tandem.identity.rest;

import io.tandem.identity.service.ProxyRefusal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;

/**
 * Writes a push's body to a temporary file as it streams in (back-pressure from the disk, never whole in memory),
 * so that its pack can be checked before any of it is forwarded. Larger bodies than the configured bound: 413.
 */
final class PushSpool {

    private final Vertx vertx;
    private final long maxBytes;

    PushSpool(Vertx vertx, long maxBytes) {
        this.vertx = vertx;
        this.maxBytes = maxBytes;
    }

    /**
     * The file holding {@code start} (what was read already) and the rest of the paused {@code request} (unless
     * {@code ended}). On failure the file is already deleted.
     */
    Future<Path> spool(HttpServerRequest request, Buffer start, boolean ended) {
        return vertx.fileSystem().createTempFile("tandem-push-", ".body").compose(name -> {
            Path path = Path.of(name);
            return vertx.fileSystem().open(name, new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .compose(file -> fill(file, request, start, ended))
                    .map(path)
                    .recover(failure -> delete(path).transform(ignored -> Future.failedFuture(failure)));
        });
    }

    Future<Void> delete(Path path) {
        return vertx.fileSystem().delete(path.toString()).recover(ignored -> Future.succeededFuture());
    }

    private Future<Void> fill(AsyncFile file, HttpServerRequest request, Buffer start, boolean ended) {
        Promise<Void> done = Promise.promise();
        long[] size = {start.length()};
        file.write(start);
        if (ended) {
            return file.close();
        }
        request.handler(chunk -> {
            size[0] += chunk.length();
            if (size[0] > maxBytes) {
                request.handler(null);
                request.endHandler(null);
                done.tryFail(new ProxyRefusal(413, "the push is larger than the " + maxBytes
                        + " bytes the proxy checks (tandem.proxy.max-push-size)"));
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(ignored -> request.resume());
            }
        });
        request.exceptionHandler(done::tryFail);
        file.exceptionHandler(done::tryFail);
        request.endHandler(ignored -> done.tryComplete());
        request.resume();
        return done.future().eventually(() -> file.close());
    }
}
