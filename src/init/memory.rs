//! Giving back memory that only start-up needed.
//!
//! plinth is one binary for many jobs, so parsing the command line and
//! starting the command touch far more of its code than the init loop ever
//! will again; the kernel keeps those pages mapped and counted in PID 1's
//! resident size for the whole life of the container. Once the command is
//! running, the pages of plinth's own file mappings are handed back with
//! `MADV_PAGEOUT` (the kernel only reclaims pages no other process maps,
//! and never loses data: modified pages stay) and free heap is trimmed.
//! This happens each time plinth is about to block, after whatever a
//! signal made it do; the few pages the loop needs fault back in.

use std::fs;

use tracing::debug;

/// Releases start-up pages; failures (no /proc, an old kernel) are ignored
/// because they only cost memory. Called right before plinth blocks, so
/// that as little code as possible runs between the release and the wait:
/// whatever runs faults its pages (whole folios, on recent kernels) back in.
pub fn release_startup_pages() {
    let Ok(maps) = fs::read_to_string("/proc/self/maps") else { return };
    let Ok(exe) = fs::read_link("/proc/self/exe") else { return };
    let exe = exe.to_string_lossy();
    let ranges: Vec<(usize, usize)> =
        maps.lines().filter(|l| l.ends_with(exe.as_ref())).filter_map(range).collect();
    debug!("paging out {} start-up mappings", ranges.len());
    drop(maps);
    // SAFETY: malloc_trim takes no pointers and may be called at any time.
    unsafe {
        libc::malloc_trim(0);
    }
    for (start, end) in ranges {
        // SAFETY: the range is one of this process's own mappings as the
        // kernel listed it; MADV_PAGEOUT only changes where pages live,
        // never their contents.
        unsafe {
            libc::madvise(start as *mut _, end - start, libc::MADV_PAGEOUT);
        }
    }
}

fn range(line: &str) -> Option<(usize, usize)> {
    let (start, end) = line.split_whitespace().next()?.split_once('-')?;
    Some((usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?))
}
