package io.tandem.launcher.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import io.tandem.events.PipelineEvent;

public class PipelineEventDeserializer extends ObjectMapperDeserializer<PipelineEvent> {

    public PipelineEventDeserializer() {
        super(PipelineEvent.class);
    }
}
