package io.tandem.sim.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answered as GitLab does: a status and a body {@code {"message": ...}} or {@code {"error": ...}}. */
public class ApiError extends RuntimeException {

    private final int status;
    private final transient Map<String, Object> body;

    private ApiError(int status, String key, Object value) {
        super(String.valueOf(value), null, false, false);
        this.status = status;
        this.body = new LinkedHashMap<>();
        this.body.put(key, value);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public static ApiError message(int status, Object message) {
        return new ApiError(status, "message", message);
    }

    /** Grape's parameter validation errors use {@code error}. */
    public static ApiError badParam(String error) {
        return new ApiError(400, "error", error);
    }

    public static ApiError missing(String param) {
        return badParam(param + " is missing");
    }

    public static ApiError badRequest(Object message) {
        return message(400, message);
    }

    public static ApiError unauthorized() {
        return message(401, "401 Unauthorized");
    }

    public static ApiError forbidden() {
        return message(403, "403 Forbidden");
    }

    public static ApiError notFound() {
        return message(404, "404 Not found");
    }

    /** e.g. {@code notFound("Project")} gives {@code 404 Project Not Found}. */
    public static ApiError notFound(String what) {
        return message(404, "404 " + what + " Not Found");
    }

    public static ApiError conflict(Object message) {
        return message(409, message);
    }
}
