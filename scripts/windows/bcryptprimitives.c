/* A stand-in for bcryptprimitives.dll, for running our .exe files under Wine 8 in the test
 * tooling only: never shipped, never needed on real Windows (which has the DLL).
 *
 * Why: Rust's standard library gets its random bytes from ProcessPrng in bcryptprimitives.dll
 * (Windows 10+). Wine 8 has no such DLL, so every Rust .exe fails to start under it. This one
 * exports ProcessPrng over RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Built by scripts/windows.sh with MinGW-w64 and placed next to the .exe under test. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
