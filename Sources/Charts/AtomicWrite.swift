import Foundation
import Recurrent

/// Writes `data` to `url` atomically (temporary file in the same folder, fsync, rename), so a
/// reader sees either the old file or the complete new one. One implementation serves the
/// whole project: `AtomicFile` in the engine.
public func writeAtomically(_ data: Data, to url: URL) throws {
    try AtomicFile.write(data, to: url)
}

/// Writes `string` as UTF-8 to `url` atomically.
public func writeAtomically(_ string: String, to url: URL) throws {
    try AtomicFile.write(Data(string.utf8), to: url)
}
