//! Initial access tokens (RFC 7591 §3) and admin accounts.
