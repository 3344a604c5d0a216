package io.tandem.launcher.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import io.tandem.events.InvocationAuthorized;

public class InvocationAuthorizedDeserializer extends ObjectMapperDeserializer<InvocationAuthorized> {

    public InvocationAuthorizedDeserializer() {
        super(InvocationAuthorized.class);
    }
}
