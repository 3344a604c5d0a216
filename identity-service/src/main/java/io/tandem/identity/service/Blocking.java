package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;

/**
 * Runs blocking GitLab calls on a worker thread. The result comes back on the caller's Vert.x context, where
 * Hibernate Reactive needs the rest of the chain to run.
 */
@ApplicationScoped
public class Blocking {

    private final Vertx vertx;

    public Blocking(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> call(Callable<T> work) {
        return vertx.executeBlocking(Uni.createFrom().emitter(emitter -> {
            try {
                emitter.complete(work.call());
            } catch (Exception e) {
                emitter.fail(e);
            }
        }), false);
    }

    public Uni<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }
}
