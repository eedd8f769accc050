package io.scanorder.agent.emulator;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One receipt: everything printed up to a cut, or up to a feed past the tear bar on a printer
 * without a cutter.
 *
 * @param lines the printed lines
 * @param cut true if the printer cut it off, false if it was fed out to be torn off
 */
public record PrintedJob(List<RenderedLine> lines, boolean cut) {
    public PrintedJob {
        lines = List.copyOf(lines);
    }

    /** A receipt the printer cut off. */
    public PrintedJob(List<RenderedLine> lines) {
        this(lines, true);
    }

    /** The lines' text joined with '\n', as a person would read the paper. */
    public String text() {
        return lines.stream().map(RenderedLine::text).collect(Collectors.joining("\n"));
    }
}
