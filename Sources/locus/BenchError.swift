/// Why a benchmark could not be measured.
enum BenchError: Error, CustomStringConvertible {
    case labFailed(reason: String)
    case emptyLab(benchmark: String)
    case unexpectedAnswer(benchmark: String, detail: String)
    case engineFailed(reason: String)

    var description: String {
        switch self {
        case .labFailed(let reason):
            "cannot start the loopback lab the benchmarks run against: \(reason)"
        case .emptyLab(let benchmark):
            "\(benchmark): the lab has no workloads to ask about"
        case .unexpectedAnswer(let benchmark, let detail):
            "\(benchmark): unexpected answer, so its numbers would not measure real lookups: \(detail)"
        case .engineFailed(let reason):
            "engine-pass: \(reason)"
        }
    }
}
