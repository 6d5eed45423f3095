// DNS module.
