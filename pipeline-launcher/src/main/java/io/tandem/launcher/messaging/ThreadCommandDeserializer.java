package io.tandem.launcher.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import io.tandem.events.ThreadCommand;

public class ThreadCommandDeserializer extends ObjectMapperDeserializer<ThreadCommand> {

    public ThreadCommandDeserializer() {
        super(ThreadCommand.class);
    }
}
