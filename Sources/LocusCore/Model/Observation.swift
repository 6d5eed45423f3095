import Foundation

/// Something a source found out, applied to the `World` in place.
public enum Observation: Sendable, Hashable {
    /// A resolver's answer for a workload's EID.
    case mapping(workload: String, MappingObservation)
    /// The map-server's registration table entry for a workload; nil when the table is not available.
    case registration(workload: String, RegistrationStatus?)
    /// A source's health after a check.
    case source(SourceHealth)
    /// An inventory source read successfully: its complete list of workloads.
    case inventoryLoaded(source: String, workloads: [InventoryWorkload])
    /// An inventory source could not be read; its last good workloads stay.
    case inventoryInvalid(source: String, errors: [ConfigError])
    /// Probe results for a workload's dependencies.
    case dependencies(workload: String, [DependencyStatus])
    /// The leftovers one listing of a firewall shows, by the workload whose previous address each is;
    /// a workload not named has none on that firewall.
    case firewallLeftovers(firewall: String, [String: [FirewallLeftover]])
    /// The store's migrations as last read: open ones mark their workloads, and the newest completed
    /// one of a workload says where it arrived until its inventory agrees.
    case migrations([Migration])
}

/// What applying observations changed: the correlator re-evaluates exactly these.
public struct WorldChange: Sendable, Hashable {
    /// Workloads added, removed or whose declaration, mapping, registration or dependencies changed.
    public var touchedWorkloads: Set<String>
    /// Sources whose health or inventory validity changed.
    public var touchedSources: Set<String>
    /// `move` and `source-state` events, in the order they happened.
    public var events: [Event]
    /// Last registered mappings whose site or locators changed, for the store.
    public var changedMappings: [String: LastKnownMapping]
    /// Workloads whose declared address changed (a re-IP), by name.
    public var readdressed: [String: AddressChange]
    /// Declared addresses the store does not hold yet (new workloads and re-IPs), for the store.
    public var changedAddresses: [String: KnownAddress]

    public init(
        touchedWorkloads: Set<String> = [],
        touchedSources: Set<String> = [],
        events: [Event] = [],
        changedMappings: [String: LastKnownMapping] = [:],
        readdressed: [String: AddressChange] = [:],
        changedAddresses: [String: KnownAddress] = [:]
    ) {
        self.touchedWorkloads = touchedWorkloads
        self.touchedSources = touchedSources
        self.events = events
        self.changedMappings = changedMappings
        self.readdressed = readdressed
        self.changedAddresses = changedAddresses
    }

    public var isEmpty: Bool {
        touchedWorkloads.isEmpty && touchedSources.isEmpty && events.isEmpty && changedMappings.isEmpty
            && readdressed.isEmpty && changedAddresses.isEmpty
    }

    public mutating func merge(_ other: WorldChange) {
        touchedWorkloads.formUnion(other.touchedWorkloads)
        touchedSources.formUnion(other.touchedSources)
        events.append(contentsOf: other.events)
        changedMappings.merge(other.changedMappings) { _, new in new }
        readdressed.merge(other.readdressed) { old, new in AddressChange(from: old.from, to: new.to, source: new.source)
        }
        changedAddresses.merge(other.changedAddresses) { _, new in new }
    }
}

/// A workload's declared address changing, as an inventory read reported it.
public struct AddressChange: Sendable, Hashable {
    public var from: IPAddress
    public var to: IPAddress
    /// The inventory source whose read brought the new address.
    public var source: String

    public init(from: IPAddress, to: IPAddress, source: String) {
        self.from = from
        self.to = to
        self.source = source
    }
}
