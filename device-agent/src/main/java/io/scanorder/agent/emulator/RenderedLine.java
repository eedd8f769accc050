package io.scanorder.agent.emulator;

/**
 * One printed line as the emulator rendered it.
 *
 * @param text the characters on the line, without padding beyond what was sent
 * @param columns how many character cells of the paper the line used (double-byte characters use
 *     two, and every cell is multiplied by the width scale)
 * @param bold emphasized mode when the first character was printed
 * @param widthScale character width multiplier (GS ! / ESC !), 1..8
 * @param heightScale character height multiplier, 1..8
 */
public record RenderedLine(
        String text, int columns, boolean bold, int widthScale, int heightScale) {}
