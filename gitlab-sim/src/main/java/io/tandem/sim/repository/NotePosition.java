package io.tandem.sim.repository;

/** Where a diff note sits: the diff's three SHAs and a line on the old and/or new side of a file. */
public record NotePosition(String baseSha, String startSha, String headSha, String positionType, String oldPath,
        String newPath, Integer oldLine, Integer newLine) {
}
