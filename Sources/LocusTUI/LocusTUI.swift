// LocusTUI module.
