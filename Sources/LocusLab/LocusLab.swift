// LocusLab module.
