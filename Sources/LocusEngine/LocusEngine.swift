// LocusEngine module.
