package io.scanorder.agent.config;

import java.util.List;

/** The agent configuration is missing or has bad values; the message lists every problem. */
public class AgentConfigException extends RuntimeException {

    private final List<String> problems;

    public AgentConfigException(List<String> problems) {
        super("invalid agent configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, each starting with the key it concerns. */
    public List<String> problems() {
        return problems;
    }
}
