extension Correlator {
    /// The alerts one source deserves now.
    func sourceFindings(_ world: World, name: String) -> [Finding] {
        var findings: [Finding] = []
        if let health = world.sources[name], health.state == .down {
            var message = "\(health.kind.rawValue) source \(name) is down"
            if let error = health.lastError {
                message += ": \(error)"
            }
            switch health.kind {
            case .mapping:
                message += "; the mappings it answered are unknown until it answers again"
            case .inventory:
                message += "; the last good inventory is kept"
            case .dns, .loadbalancer, .firewall:
                message += "; the dependencies it checks are unknown"
            case .store:
                message += "; history is not being recorded"
            }
            findings.append(Finding(kind: .sourceDown, severity: .critical, message: message))
        }
        if let errors = world.inventoryErrors[name], let first = errors.first {
            var message = "inventory \(name) is invalid, the last good one is kept: \(first)"
            if errors.count > 1 {
                message += " (and \(errors.count - 1) more; run `locus config check`)"
            }
            findings.append(Finding(kind: .inventoryInvalid, severity: .critical, message: message))
        }
        return findings
    }
}
