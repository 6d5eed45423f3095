/// Why the lab's mover refused or failed a move asked through its control port; the description is what
/// `locus lab move` prints, so a cutover's journal says what was wrong.
public enum LabMoveError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownWorkload(String)
    case unknownSite(String, known: [String])
    /// At the site already, asked for another address: moving to where it is cannot re-address it.
    case alreadyThere(workload: String, site: String, address: String, asked: String)
    case badAddress(String, reason: String)
    /// `--fail-step mover`: the first move that would act fails, once.
    case failedOnPurpose(workload: String)
    /// The xTRs or the inventory file did not take the move.
    case failed(workload: String, reason: String)

    public var description: String {
        switch self {
        case .unknownWorkload(let name):
            return "no workload named \(name) in the lab"
        case .unknownSite(let name, let known):
            return "no site named \(name) in the lab (its sites: \(known.joined(separator: ", ")))"
        case .alreadyThere(let workload, let site, let address, let asked):
            return "\(workload) is already at \(site) with address \(address): a move to where it is cannot give it "
                + "address \(asked)"
        case .badAddress(let address, let reason):
            return "bad address \(address): \(reason)"
        case .failedOnPurpose(let workload):
            return "the move of \(workload) failed on purpose (locus lab --fail-step mover); the next one acts"
        case .failed(let workload, let reason):
            return "the move of \(workload) failed: \(reason)"
        }
    }
}
