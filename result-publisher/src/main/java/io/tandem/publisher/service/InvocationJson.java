package io.tandem.publisher.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.events.Invocation;
import jakarta.enterprise.context.ApplicationScoped;

/** An {@link Invocation} as kept with its progress note, so that work on the run can resume without a record. */
@ApplicationScoped
public class InvocationJson {

    private final ObjectMapper json;

    public InvocationJson(ObjectMapper json) {
        this.json = json;
    }

    public String write(Invocation invocation) {
        try {
            return json.writeValueAsString(invocation);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invocation " + invocation.invocationId() + " is not serialisable", e);
        }
    }

    public Invocation read(String text) {
        try {
            return json.readValue(text, Invocation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a stored invocation is not readable", e);
        }
    }
}
