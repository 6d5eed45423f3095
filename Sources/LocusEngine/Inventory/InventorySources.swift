import LocusCore

extension Engine {
    /// The source that reads an `[[inventory]]` of any kind.
    static func inventorySource(
        for config: InventorySourceConfig,
        references: InventoryReferences
    ) -> any InventorySource {
        switch config.kind {
        case .file(let path):
            return FileInventorySource(name: config.name, path: path, references: references)
        case .ovf(let directory, let siteOfNetwork, let addressProperty):
            return OVFInventorySource(
                name: config.name,
                directory: directory,
                siteOfNetwork: siteOfNetwork,
                addressProperty: addressProperty
            )
        case .libvirt(let uri, let site):
            return LibvirtInventorySource(name: config.name, uri: uri, site: site)
        }
    }
}
