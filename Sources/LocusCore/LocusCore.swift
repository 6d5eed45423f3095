// LocusCore module.
