//! Windows ignores Unix modes: a file readable by its owner only is one whose DACL is protected
//! (no entries inherited from the folder above) and holds a single entry, full control for the
//! user this process runs as. A folder's entry is inherited by what is created inside it.

use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{CloseHandle, LocalFree, ERROR_SUCCESS, GENERIC_ALL, HANDLE};
use windows_sys::Win32::Security::Authorization::{
    SetEntriesInAclW, SetNamedSecurityInfoW, EXPLICIT_ACCESS_W, NO_MULTIPLE_TRUSTEE, SET_ACCESS, SE_FILE_OBJECT,
    TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, TokenUser, ACL, DACL_SECURITY_INFORMATION, NO_INHERITANCE,
    PROTECTED_DACL_SECURITY_INFORMATION, SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// The current user's `TOKEN_USER`, in a buffer aligned for it.
fn current_user() -> io::Result<Vec<u64>> {
    // SAFETY: the token handle is closed on every path; the buffer is as long as Windows asked.
    unsafe {
        let mut token: HANDLE = null_mut();
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut needed = 0u32;
        GetTokenInformation(token, TokenUser, null_mut(), 0, &mut needed);
        let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
        let ok = GetTokenInformation(token, TokenUser, buffer.as_mut_ptr().cast(), needed, &mut needed);
        let error = io::Error::last_os_error();
        CloseHandle(token);
        if ok == 0 {
            return Err(error);
        }
        Ok(buffer)
    }
}

/// Replaces `path`'s DACL with one entry: full control for the current user, inherited by the
/// folder's contents when `folder`.
pub fn restrict_to_owner(path: &Path, folder: bool) -> io::Result<()> {
    let user = current_user()?;
    // SAFETY: `user` holds a TOKEN_USER (see `current_user`) and outlives every use of its SID;
    // the ACL SetEntriesInAclW allocates is freed once, after its last use.
    unsafe {
        let sid = (*(user.as_ptr() as *const TOKEN_USER)).User.Sid;
        let access = EXPLICIT_ACCESS_W {
            grfAccessPermissions: GENERIC_ALL,
            grfAccessMode: SET_ACCESS,
            grfInheritance: if folder { SUB_CONTAINERS_AND_OBJECTS_INHERIT } else { NO_INHERITANCE },
            Trustee: TRUSTEE_W {
                pMultipleTrustee: null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: sid.cast(),
            },
        };
        let mut acl: *mut ACL = null_mut();
        let status = SetEntriesInAclW(1, &access, null(), &mut acl);
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        let wide: Vec<u16> = path.as_os_str().encode_wide().chain(Some(0)).collect();
        let status = SetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            acl,
            null(),
        );
        LocalFree(acl.cast());
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
    }
    Ok(())
}

/// `path`'s DACL and its ACE count, read once; the security descriptor holding it is freed on drop
/// (tests).
#[cfg(test)]
struct Dacl {
    dacl: *mut ACL,
    descriptor: windows_sys::Win32::Security::PSECURITY_DESCRIPTOR,
    aces: u32,
}

#[cfg(test)]
impl Dacl {
    fn of(path: &Path) -> io::Result<Self> {
        use windows_sys::Win32::Security::Authorization::GetNamedSecurityInfoW;
        use windows_sys::Win32::Security::{AclSizeInformation, GetAclInformation, ACL_SIZE_INFORMATION};
        let wide: Vec<u16> = path.as_os_str().encode_wide().chain(Some(0)).collect();
        // SAFETY: out-pointers to locals; the descriptor is owned by the returned value.
        unsafe {
            let (mut dacl, mut descriptor) = (null_mut(), null_mut());
            let status = GetNamedSecurityInfoW(
                wide.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                &mut dacl,
                null_mut(),
                &mut descriptor,
            );
            if status != ERROR_SUCCESS {
                return Err(io::Error::from_raw_os_error(status as i32));
            }
            let mut held = Dacl { dacl, descriptor, aces: 0 };
            let mut info = ACL_SIZE_INFORMATION { AceCount: 0, AclBytesInUse: 0, AclBytesFree: 0 };
            let size = std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32;
            if GetAclInformation(dacl, (&mut info as *mut ACL_SIZE_INFORMATION).cast(), size, AclSizeInformation) == 0 {
                return Err(io::Error::last_os_error());
            }
            held.aces = info.AceCount;
            Ok(held)
        }
    }
}

#[cfg(test)]
impl Drop for Dacl {
    fn drop(&mut self) {
        // SAFETY: the descriptor GetNamedSecurityInfoW allocated, freed once.
        unsafe { LocalFree(self.descriptor.cast()) };
    }
}

/// How many entries `path`'s DACL has, and whether it is protected from inheritance (tests).
#[cfg(test)]
pub fn dacl_of(path: &Path) -> io::Result<(u32, bool)> {
    use windows_sys::Win32::Security::{GetSecurityDescriptorControl, SE_DACL_PROTECTED};
    let dacl = Dacl::of(path)?;
    let (mut control, mut revision) = (0u16, 0u32);
    // SAFETY: the descriptor is alive for the call; out-pointers to locals.
    unsafe { GetSecurityDescriptorControl(dacl.descriptor, &mut control, &mut revision) };
    Ok((dacl.aces, control & SE_DACL_PROTECTED != 0))
}

/// Whether the test tooling runs this under Wine (`scripts/windows/wine-run.sh` says so). Wine does
/// not keep a DACL: it turns it into Unix mode bits and reads back one made from them (measured
/// with Wine 8 on this machine: an owner-only protected DACL reads back as SYSTEM, the user and
/// Everyone, not protected). There only the user's own entry can be checked; the owner-only
/// check runs on real Windows (the release workflow's Windows job) (tests).
#[cfg(test)]
pub fn under_wine() -> bool {
    std::env::var_os("AUTHDESK_UNDER_WINE").is_some()
}

/// The access `path`'s DACL allows the user this process runs as (tests).
#[cfg(test)]
pub fn allowed_to_current_user(path: &Path) -> io::Result<u32> {
    use windows_sys::Win32::Security::{EqualSid, GetAce, ACCESS_ALLOWED_ACE};
    const ACCESS_ALLOWED_ACE_TYPE: u8 = 0;
    let user = current_user()?;
    let dacl = Dacl::of(path)?;
    let mut allowed = 0;
    // SAFETY: every ACE read lies inside the DACL, alive while `dacl` is; `user` outlives its SID.
    unsafe {
        let sid = (*(user.as_ptr() as *const TOKEN_USER)).User.Sid;
        for i in 0..dacl.aces {
            let mut ace = null_mut();
            if GetAce(dacl.dacl, i, &mut ace) == 0 {
                continue;
            }
            let ace = &*(ace as *const ACCESS_ALLOWED_ACE);
            if ace.Header.AceType == ACCESS_ALLOWED_ACE_TYPE
                && EqualSid((&ace.SidStart as *const u32).cast_mut().cast(), sid) != 0
            {
                allowed |= ace.Mask;
            }
        }
    }
    Ok(allowed)
}
