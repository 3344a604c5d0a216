package io.tandem.identity.service;

public class UnknownInvocationException extends RuntimeException {

    public UnknownInvocationException(String invocationId) {
        super("no decision has been taken for invocation " + invocationId);
    }
}
