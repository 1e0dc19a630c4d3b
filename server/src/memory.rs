//! What the process keeps resident. Transparent huge pages back a region with 2 MiB pages the
//! moment one byte of it is touched: mimalloc's arenas (which it would `madvise` for them; built
//! without that here, the `no_thp` feature) took an idle server from 14 to 23 MiB and one after a
//! load to twice that, for no measurable gain in throughput (BENCHMARKS.md). Turned off for this
//! process, so hosts whose THP setting is `always` behave the same.

/// Turns transparent huge pages off for this process's memory from now on (Linux only).
#[cfg(target_os = "linux")]
pub fn without_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours. A kernel
    // that refuses it leaves the default, which costs memory only.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn without_huge_pages() {}
