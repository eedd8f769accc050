package io.scanorder.agent.emulator;

import java.util.List;
import java.util.stream.Collectors;

/** Everything printed between two cuts. */
public record PrintedJob(List<RenderedLine> lines) {
    public PrintedJob {
        lines = List.copyOf(lines);
    }

    /** The lines' text joined with '\n', as a person would read the paper. */
    public String text() {
        return lines.stream().map(RenderedLine::text).collect(Collectors.joining("\n"));
    }
}
