// DNSNet module.
