package io.tandem.identity.service;

public class UnknownServiceAccountException extends RuntimeException {

    public UnknownServiceAccountException(long userId) {
        super("no service account with user id " + userId + " is known to Tandem");
    }
}
