//! libc's resolver, replaced by one that always fails.
//!
//! plinth resolves names itself (`net::resolve`), yet some dependencies
//! keep a code path that asks libc (the MySQL client when it is given no
//! addresses, std's `ToSocketAddrs`). In a static glibc binary that path
//! would load the host's NSS modules with `dlopen`: a different glibc's
//! shared objects in a process that has no dynamic loader of its own,
//! which fails or crashes on Alpine and scratch. Defining the two symbols
//! here keeps glibc's `getaddrinfo` out of the link (about 0.1 MB with the
//! NSS machinery), and turns any lookup that would reach it into a plain
//! error instead.

use libc::{EAI_FAIL, addrinfo, c_char, c_int};

/// Every lookup fails with `EAI_FAIL` ("non-recoverable failure in name
/// resolution") and returns no list.
//
// The signature is glibc's; the symbol overrides the one in libc.a because
// the linker only pulls an archive member for a still-undefined symbol.
#[unsafe(no_mangle)]
extern "C" fn getaddrinfo(
    _node: *const c_char,
    _service: *const c_char,
    _hints: *const addrinfo,
    result: *mut *mut addrinfo,
) -> c_int {
    if !result.is_null() {
        // SAFETY: the caller passes a valid out-pointer, as getaddrinfo(3)
        // requires; it was checked for null above.
        unsafe { result.write(std::ptr::null_mut()) };
    }
    EAI_FAIL
}

/// Nothing to free: `getaddrinfo` above never allocates a list.
#[unsafe(no_mangle)]
extern "C" fn freeaddrinfo(_list: *mut addrinfo) {}

#[cfg(test)]
mod tests {
    use std::net::ToSocketAddrs;

    #[test]
    fn libc_lookup_fails_instead_of_loading_nss_modules() {
        let lookup = ("localhost", 80).to_socket_addrs();
        let error = lookup.expect_err("libc's resolver must not answer");
        assert!(
            error.to_string().contains("name resolution"),
            "unexpected error: {error}"
        );
    }
}
