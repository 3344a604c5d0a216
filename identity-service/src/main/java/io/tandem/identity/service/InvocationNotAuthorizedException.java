package io.tandem.identity.service;

public class InvocationNotAuthorizedException extends RuntimeException {

    public InvocationNotAuthorizedException(String invocationId) {
        super("invocation " + invocationId + " was denied; it gets no run token");
    }
}
