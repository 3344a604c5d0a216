package io.tandem.matcher.service;

/** An agent definition that cannot run; the message says why, for the person who wrote it. */
public class InvalidDefinitionException extends RuntimeException {

    public InvalidDefinitionException(String message) {
        super(message);
    }
}
