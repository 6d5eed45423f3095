extension World {
    /// Takes a new list of sites (a reloaded config): the site of every current locator is derived
    /// again, and workloads whose mapped site or locator sites change are touched.
    ///
    /// A mapped site that changes this way is not a move: the workload did not go anywhere, the
    /// operator renamed or re-addressed a site.
    public mutating func reconfigure(sites newSites: [SiteConfig]) -> WorldChange {
        guard newSites != sites else { return WorldChange() }
        sites = newSites
        siteOfRLOC = Self.index(newSites)
        var change = WorldChange()
        for (name, workload) in workloads where !workload.mapping.locators.isEmpty {
            var mapping = workload.mapping
            for index in mapping.locators.indices {
                mapping.locators[index].site = site(ofRLOC: mapping.locators[index].address)
            }
            mapping.site = Self.preferredSite(of: mapping.locators)
            guard mapping != workload.mapping else { continue }
            workloads[name]?.mapping = mapping
            if mapping.state == .registered, let checkedAt = mapping.checkedAt {
                let known = LastKnownMapping(site: mapping.site, locators: mapping.locators, checkedAt: checkedAt)
                workloads[name]?.lastKnownMapping = known
                change.changedMappings[name] = known
            }
            change.touchedWorkloads.insert(name)
        }
        return change
    }
}
