extension Correlator {
    /// The alerts one source deserves now.
    func sourceFindings(_ world: World, name: String) -> [Finding] {
        var findings: [Finding] = []
        let inventoryErrors = world.inventoryErrors[name] ?? []
        // An inventory that reads but does not parse is down too; its inventory-invalid alert names the
        // line, so one alert says it, not two.
        if let health = world.sources[name], health.state == .down, inventoryErrors.isEmpty {
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
        if let first = inventoryErrors.first {
            var message: String
            if world.sources[name]?.state != .down {
                message = "inventory \(name) has records that are set aside, the rest are read: \(first)"
            } else if let read = world.inventoryReads[name] {
                message =
                    "inventory \(name) is invalid: \(first); its last good read "
                    + "(\(Plural.count(read.workloads.count, "workload"))) is shown instead"
            } else {
                message =
                    "inventory \(name) is invalid: \(first); it has never been read, so none of its workloads are shown"
            }
            if inventoryErrors.count > 1 {
                message += " (and \(inventoryErrors.count - 1) more; run `locus config check`)"
            }
            findings.append(Finding(kind: .inventoryInvalid, severity: .critical, message: message))
        }
        return findings
    }
}
