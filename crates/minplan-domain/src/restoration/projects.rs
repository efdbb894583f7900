//! (being built — see the capability's module doc.)
