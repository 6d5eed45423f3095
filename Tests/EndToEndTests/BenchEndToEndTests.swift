import Foundation
import Testing

/// `locus bench` as scripts and operators run it. Only what the numbers are, never how large they are:
/// timing depends on the machine.
@Suite("locus bench")
struct BenchEndToEndTests {
    static let benchmarks = ["resolver", "dns", "engine-pass", "snapshot-json", "render"]

    @Test func aQuickRunReportsEveryBenchmarkAsJSON() throws {
        let result = try Subprocess.run(LocusBinary.path, ["bench", "--quick", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "stdout: \(result.stdout)"
        )
        let build = try #require(document["build"] as? String)
        #expect(["debug", "release"].contains(build))
        let warned = result.stderr.contains("only meaningful in a release build")
        #expect(warned == (build == "debug"), "stderr: \(result.stderr)")

        let benchmarks = try #require(document["benchmarks"] as? [[String: Any]])
        #expect(benchmarks.compactMap { $0["name"] as? String } == Self.benchmarks)
        for benchmark in benchmarks {
            let name = benchmark["name"] as? String ?? "?"
            #expect(Set(benchmark.keys) == ["name", "operations", "seconds", "per_second", "p50_ms", "p99_ms"])
            #expect((benchmark["operations"] as? Int ?? 0) > 0, "\(name): \(benchmark)")
            #expect((benchmark["seconds"] as? Double ?? 0) > 0, "\(name): \(benchmark)")
            #expect((benchmark["per_second"] as? Double ?? 0) > 0, "\(name): \(benchmark)")
            // Every benchmark times its operations one by one, so both percentiles are there, in order.
            let p50 = try #require(benchmark["p50_ms"] as? Double, "\(name): \(benchmark)")
            let p99 = try #require(benchmark["p99_ms"] as? Double, "\(name): \(benchmark)")
            #expect(p50 > 0 && p50 <= p99, "\(name): \(benchmark)")
        }
    }

    @Test func theTableHasAHeaderAndOneAlignedRowPerSelectedBenchmark() throws {
        let result = try Subprocess.run(LocusBinary.path, ["bench", "--quick", "--only", "render,snapshot-json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let title = try #require(lines.first)
        #expect(title.hasPrefix("locus bench · "))
        #expect(title.contains(" build · "))
        #expect(title.contains("core"))
        let header = try #require(lines.first { $0.hasPrefix("benchmark") })
        for column in ["operations", "time", "rate", "p50", "p99"] {
            #expect(header.contains(column), "\(header)")
        }
        let rows = lines.filter { $0.hasPrefix("snapshot-json") || $0.hasPrefix("render") }
        // In the order benchmarks run, not the order they were named in.
        #expect(rows.map { String($0.prefix { $0 != " " }) } == ["snapshot-json", "render"])
        // The rate column ends at the same place in every row.
        let rateEnds = rows.compactMap { row in row.range(of: "/s")?.upperBound.utf16Offset(in: row) }
        #expect(rateEnds.count == 2 && Set(rateEnds).count == 1, "\(rows)")
        #expect(!result.stdout.contains("resolver"))
    }

    @Test func anUnknownBenchmarkIsBadUsageThatListsTheValidOnes() throws {
        let result = try Subprocess.run(LocusBinary.path, ["bench", "--only", "dns,nosuch"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\"nosuch\""), "\(result.stderr)")
        for name in Self.benchmarks {
            #expect(result.stderr.contains(name), "\(result.stderr)")
        }
    }
}
