// LISPNet module.
