//! Declarative provisioning: `apply` and `export`.
