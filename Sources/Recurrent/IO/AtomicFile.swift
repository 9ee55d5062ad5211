import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from `AtomicFile`, naming the file and the failed step.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes files atomically: the bytes go to a temporary file in the target's directory
/// (`.name.tmp-PID-XXXXXXXX`; ones left by a killed process are removed by the next write), which is flushed to disk (`fsync`) and then renamed over the
/// target. A reader sees either the old file or the complete new one; on any error the
/// temporary file is removed and the old file is left untouched.
///
/// ```swift
/// try AtomicFile.write(data, to: url)
/// try AtomicFile.write(to: url) { sink in try sink.write(header); try sink.write(body) }
/// ```
public enum AtomicFile {
    /// Receives the bytes of a file being written by `AtomicFile.write(to:_:)`.
    public final class Sink {
        fileprivate let fd: Int32
        fileprivate let path: String
        /// Bytes written so far.
        public private(set) var byteCount = 0

        fileprivate init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }

        /// Appends `bytes` to the file.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var base = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = sysWrite(fd, base, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError(path: path, reason: "write failed: \(errnoText())")
                }
                if n == 0 { throw AtomicFileError(path: path, reason: "write returned 0 bytes") }
                left -= n
                base += n
                byteCount += n
            }
        }

        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }

        public func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        public func write(_ string: String) throws {
            try write(Array(string.utf8))
        }
    }

    /// Replaces (or creates) the file at `url` with `data`, atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(data) }
    }

    /// Replaces (or creates) the file at `url` with what `body` writes into the sink, atomically.
    /// If `body` throws, the temporary file is removed, the target is untouched and the
    /// error is rethrown.
    public static func write(to url: URL, _ body: (Sink) throws -> Void) throws {
        let target = url.standardizedFileURL.path
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        guard !name.isEmpty, name != "/" else { throw AtomicFileError(path: target, reason: "not a file path") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AtomicFileError(path: target, reason: "it is a directory")
        }

        removeAbandonedTemporaries(of: name, in: directory)
        var fd: Int32 = -1
        var tempPath = ""
        for _ in 0..<16 {
            let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            tempPath = (directory as NSString).appendingPathComponent(".\(name).tmp-\(getpid())-\(suffix)")
            fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw AtomicFileError(path: target, reason: "cannot create a temporary file in \(directory): \(errnoText())")
        }
        var closed = false
        var renamed = false
        defer {
            if !closed { _ = close(fd) }
            if !renamed { _ = unlink(tempPath) }
        }
        let sink = Sink(fd: fd, path: target)
        try body(sink)
        guard fsync(fd) == 0 else { throw AtomicFileError(path: target, reason: "fsync failed: \(errnoText())") }
        closed = true
        guard close(fd) == 0 else { throw AtomicFileError(path: target, reason: "close failed: \(errnoText())") }
        guard rename(tempPath, target) == 0 else {
            throw AtomicFileError(path: target, reason: "rename failed: \(errnoText())")
        }
        renamed = true
        // Make the rename itself durable (best effort: not every file system allows it).
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            _ = close(dirfd)
        }
    }
}

extension AtomicFile {
    /// Removes `.NAME.tmp-PID-XXXX` files left by a writer that was killed (`kill -9`, power
    /// loss): those whose process no longer exists. A live writer's file is never touched.
    static func removeAbandonedTemporaries(of name: String, in directory: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pidText = entry.dropFirst(prefix.count).split(separator: "-").first,
                  let pid = Int32(pidText), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                _ = unlink((directory as NSString).appendingPathComponent(entry))
            }
        }
    }
}

/// `write(2)`, named apart from the `Sink.write` methods.
private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, p, n)
}

private func errnoText() -> String {
    String(cString: strerror(errno))
}
