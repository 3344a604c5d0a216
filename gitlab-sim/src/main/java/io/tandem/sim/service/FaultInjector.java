package io.tandem.sim.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Failures to inject into the next API calls, for resilience tests: each fault fails the next
 * {@code times} calls whose method and path match, then disappears. The oldest matching fault wins.
 */
@ApplicationScoped
public class FaultInjector {

    /** One registered fault; {@code remaining} counts down as calls fail. */
    public static final class Fault {
        public final long id;
        public final String method;
        public final Pattern pathPattern;
        public final int status;
        public final Integer retryAfterSeconds;
        private int remaining;

        Fault(long id, String method, Pattern pathPattern, int status, Integer retryAfterSeconds, int times) {
            this.id = id;
            this.method = method;
            this.pathPattern = pathPattern;
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.remaining = times;
        }

        public synchronized int remaining() {
            return remaining;
        }

        boolean matches(String requestMethod, String path) {
            return (method == null || method.equals("*") || method.equalsIgnoreCase(requestMethod))
                    && pathPattern.matcher(path).find();
        }
    }

    private final List<Fault> faults = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public synchronized Fault add(ApiParams params) {
        int status = (int) params.requiredLong("status");
        if (status != 429 && (status < 500 || status > 599)) {
            throw ApiError.badParam("status must be 429 or 5xx");
        }
        int times = params.intValue("times", 1);
        if (times < 1) {
            throw ApiError.badParam("times must be at least 1");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(params.string("pathPattern", ".*"));
        } catch (PatternSyntaxException e) {
            throw ApiError.badParam("pathPattern is not a valid regular expression");
        }
        Long retryAfter = params.longValue("retryAfterSeconds");
        Fault fault = new Fault(ids.incrementAndGet(), params.string("method"), pattern, status,
                retryAfter == null ? null : retryAfter.intValue(), times);
        faults.add(fault);
        return fault;
    }

    public synchronized void clear() {
        faults.clear();
    }

    public synchronized List<Fault> active() {
        return new ArrayList<>(faults);
    }

    /** The fault that fails this call, counting it down; empty if the call goes through. */
    public synchronized Optional<Fault> take(String method, String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault fault = it.next();
            if (fault.matches(method, path)) {
                synchronized (fault) {
                    fault.remaining--;
                    if (fault.remaining <= 0) {
                        it.remove();
                    }
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    public static Map<String, Object> json(Fault fault) {
        return Json.obj("id", fault.id, "method", fault.method, "pathPattern", fault.pathPattern.pattern(),
                "status", fault.status, "remaining", fault.remaining(), "retryAfterSeconds", fault.retryAfterSeconds);
    }
}
