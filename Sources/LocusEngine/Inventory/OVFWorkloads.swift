import Foundation
import LocusCore

/// Turns OVF virtual systems into workloads. Pure.
public enum OVFWorkloads {
    /// The workloads of `descriptor`, one per virtual system; a system that cannot be placed (no
    /// address, no network in `siteOfNetwork`) is reported instead of guessed.
    ///
    /// - Parameters:
    ///   - addressProperty: the bare `ovf:key` holding the address; nil for `ip0`. When it has no
    ///     usable value, the first property typed `ip` or `ip:NETWORK` that has one is used.
    public static func workloads(
        from descriptor: OVFDescriptor,
        file: String,
        siteOfNetwork: [String: String],
        addressProperty: String?
    ) -> (workloads: [InventoryWorkload], errors: [OVFError]) {
        var workloads: [InventoryWorkload] = []
        var errors: [OVFError] = []
        for system in descriptor.systems {
            switch workload(system, file: file, siteOfNetwork: siteOfNetwork, addressProperty: addressProperty ?? "ip0")
            {
            case .success(let workload): workloads.append(workload)
            case .failure(let error): errors.append(error)
            }
        }
        return (workloads, errors)
    }

    private static func workload(
        _ system: OVFVirtualSystem,
        file: String,
        siteOfNetwork: [String: String],
        addressProperty: String
    ) -> Result<InventoryWorkload, OVFError> {
        func failure(_ element: String, _ message: String) -> Result<InventoryWorkload, OVFError> {
            .failure(OVFError(file: file, element: element, message: "\(system.id): \(message)"))
        }
        let named = system.properties.filter { $0.key == addressProperty && address(in: $0) != nil }
        let typed = system.properties.filter { $0.isAddress && address(in: $0) != nil }
        guard let property = named.first ?? typed.first, let address = address(in: property) else {
            let malformed = system.properties.first {
                ($0.key == addressProperty || $0.isAddress) && $0.value?.isEmpty == false
            }
            if let malformed {
                return failure("Property", "\(malformed.fullKey) = \"\(malformed.value ?? "")\" is not an IP address")
            }
            return failure(
                "ProductSection",
                "no address: no property \"\(addressProperty)\" with a value and none typed ip or ip:NETWORK"
            )
        }

        // The address's own network decides the site; otherwise the first card on a mapped network.
        let candidates = [property.network].compactMap { $0 } + system.networkCards.compactMap(\.network)
        guard let network = candidates.first(where: { siteOfNetwork[$0] != nil }), let site = siteOfNetwork[network]
        else {
            let names =
                candidates.isEmpty
                ? "it has no network" : "its networks are " + candidates.map { "\"\($0)\"" }.joined(separator: ", ")
            return failure("VirtualSystem", "no site: \(names), none of them in site_of_network")
        }

        var mac: MACAddress?
        if let text = system.networkCards.first(where: { $0.network == network && $0.mac != nil })?.mac
            ?? system.networkCards.first(where: { $0.mac != nil })?.mac
        {
            do {
                mac = try MACAddress(parsing: text.lowercased().replacingOccurrences(of: "-", with: ":"))
            } catch {
                return failure("Item", "network card address: \(error)")
            }
        }

        var attributes: [String: String] = ["ovf_id": system.id, "address_property": property.fullKey]
        attributes["collection"] = system.collection
        attributes["os"] = system.operatingSystem
        attributes["cpus"] = system.cpus.map(String.init)
        attributes["memory"] = system.memoryBytes.map(byteText)
        if !system.disks.isEmpty {
            attributes["disks"] = system.disks.map { disk in
                disk.capacityBytes.map { "\(disk.name) \(byteText($0))" } ?? disk.name
            }.joined(separator: ", ")
        }
        if !system.networkCards.isEmpty {
            attributes["networks"] = system.networkCards.map { card in
                (card.network ?? "unconnected") + (card.mac.map { " (\($0))" } ?? "")
            }.joined(separator: ", ")
        }
        return .success(
            InventoryWorkload(
                name: system.name,
                eid: IPPrefix(host: address),
                site: site,
                address: address,
                mac: mac,
                line: system.line,
                attributes: attributes
            )
        )
    }

    /// The address of a property, also when written with a prefix length (`10.1.0.7/24`).
    private static func address(in property: OVFProperty) -> IPAddress? {
        guard let value = property.value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let bare = value.split(separator: "/", maxSplits: 1).first.map(String.init) ?? value
        return IPAddress(bare)
    }

    static func byteText(_ bytes: UInt64) -> String {
        let units: [(String, UInt64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (name, size) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(name)"
        }
        return "\(bytes) bytes"
    }
}
