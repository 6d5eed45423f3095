import Foundation

/// The results of a `locus bench` run with what they were measured on, as a table or as JSON.
struct BenchReport: Sendable {
    /// `release` or `debug`.
    var build: String
    var cores: Int
    var date: Date
    /// `--quick`: sizes for a smoke run, said in the table's title so they are not taken for a measurement.
    var isQuick: Bool
    var results: [BenchResult]

    /// The kind of build this executable is: numbers from a debug build say little about a release one.
    static var currentBuild: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    // MARK: Table

    /// A header line, then one aligned row per benchmark.
    func table() -> String {
        let header = ["benchmark", "operations", "time", "rate", "p50", "p99", ""]
        let rows = results.map { result in
            [
                result.name,
                String(result.operations),
                BenchFormat.duration(result.seconds),
                BenchFormat.rate(result.perSecond),
                result.p50.map { BenchFormat.duration($0.inSeconds) } ?? "-",
                result.p99.map { BenchFormat.duration($0.inSeconds) } ?? "-",
                result.detail,
            ]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        // The name and the detail read left to right; numbers line up on their right edge.
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let cell = cells[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                switch column {
                case 0: return cell + padding
                case cells.count - 1: return cell
                default: return padding + cell
                }
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        let title =
            [
                "locus bench", "\(build) build", isQuick ? "quick sizes" : nil,
                "\(cores) \(cores == 1 ? "core" : "cores")",
            ]
            .compactMap { $0 }.joined(separator: " · ") + " · " + BenchFormat.timestamp(date)
        return ([title, "", line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// `{"build": …, "benchmarks": [{"name", "operations", "seconds", "per_second", "p50_ms", "p99_ms"}]}`,
    /// latencies `null` where a benchmark has none.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(Document(self))
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private struct Document: Encodable {
        var build: String
        var benchmarks: [Benchmark]

        init(_ report: BenchReport) {
            build = report.build
            benchmarks = report.results.map(Benchmark.init)
        }
    }

    private struct Benchmark: Encodable {
        var name: String
        var operations: Int
        var seconds: Double
        var perSecond: Double
        var p50: Double?
        var p99: Double?

        init(_ result: BenchResult) {
            name = result.name
            operations = result.operations
            seconds = result.seconds
            perSecond = result.perSecond
            p50 = result.p50.map { $0.inSeconds * 1000 }
            p99 = result.p99.map { $0.inSeconds * 1000 }
        }

        enum CodingKeys: String, CodingKey {
            case name, operations, seconds
            case perSecond = "per_second"
            case p50 = "p50_ms"
            case p99 = "p99_ms"
        }

        // Explicit nulls: a script reads a missing latency as "does not apply", not as a missing key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(operations, forKey: .operations)
            try container.encode(seconds, forKey: .seconds)
            try container.encode(perSecond, forKey: .perSecond)
            try container.encode(p50, forKey: .p50)
            try container.encode(p99, forKey: .p99)
        }
    }
}

/// Numbers as people read them: three significant digits and a unit.
enum BenchFormat {
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case 10...: String(format: "%.1f s", seconds)
        case 1...: String(format: "%.2f s", seconds)
        case 0.1...: String(format: "%.0f ms", seconds * 1e3)
        case 0.01...: String(format: "%.1f ms", seconds * 1e3)
        case 0.001...: String(format: "%.2f ms", seconds * 1e3)
        default: String(format: "%.0f µs", seconds * 1e6)
        }
    }

    static func rate(_ perSecond: Double) -> String {
        switch perSecond {
        case 1e6...: String(format: "%.2f M/s", perSecond / 1e6)
        case 1e3...: String(format: "%.1f k/s", perSecond / 1e3)
        case 10...: String(format: "%.0f /s", perSecond)
        default: String(format: "%.2f /s", perSecond)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
