// LocusStore module.
