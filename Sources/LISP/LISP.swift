// LISP module.
