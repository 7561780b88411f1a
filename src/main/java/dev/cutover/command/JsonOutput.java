package dev.cutover.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one mapper --json results are written with, loaded at the first result (Jackson costs start-up time). */
final class JsonOutput {
    private JsonOutput() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
