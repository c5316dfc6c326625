//! Initial access tokens and admin accounts.
