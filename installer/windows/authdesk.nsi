; The authdesk Windows installer, built on Linux with Debian's makensis (scripts/windows.sh
; installer): per user (no administrator rights), into %LOCALAPPDATA%\Programs\authdesk, with a
; Start menu shortcut and an uninstaller registered for "Apps & features".
;
; WebView2: the window needs Microsoft's WebView2 runtime (part of Windows 11 and of current
; Windows 10). When it is missing, the installer fetches Microsoft's small bootstrapper and runs it
; for this user, as Tauri's own NSIS installer does in its default "downloadBootstrapper" mode. The
; build machine cannot reach Microsoft's servers, so the bootstrapper is fetched at install time on
; the user's computer (with PowerShell, HTTPS), never shipped here.
;
; Inputs (defined by scripts/windows.sh): EXE_DIR (folder with authdesk-desktop.exe and
; WebView2Loader.dll, which a GNU-target build needs beside the exe), VERSION, OUT_FILE, ICON.

; 64-bit like the app (and runnable by Wine's wine64 in the test tooling).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define APP "authdesk"
!define PUBLISHER "authdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define WEBVIEW2_KEY "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${APP}"
OutFile "${OUT_FILE}"
Icon "${ICON}"
UninstallIcon "${ICON}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "authdesk"
  SetOutPath "$INSTDIR"
  File "${EXE_DIR}\authdesk-desktop.exe"
  File "${EXE_DIR}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\authdesk-desktop.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\authdesk-desktop.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; WebView2 is present when either the machine-wide or this user's runtime reports a version.
Section "WebView2 runtime"
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv"
  StrCmp $0 "" 0 present
  ReadRegStr $0 HKCU "${WEBVIEW2_KEY}" "pv"
  StrCmp $0 "" 0 present
  DetailPrint "Installing Microsoft Edge WebView2 (fetched from Microsoft)…"
  nsExec::ExecToLog 'powershell -NoProfile -ExecutionPolicy Bypass -Command "$$ErrorActionPreference=''Stop''; $$f=Join-Path $$env:TEMP ''MicrosoftEdgeWebview2Setup.exe''; Invoke-WebRequest -UseBasicParsing -Uri ''${WEBVIEW2_BOOTSTRAPPER}'' -OutFile $$f; Start-Process -Wait -FilePath $$f -ArgumentList ''/silent'',''/install''"'
  Pop $1
  StrCmp $1 "0" present
  DetailPrint "WebView2 could not be installed ($1): install it from Microsoft, then start authdesk."
  present:
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\authdesk-desktop.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; The data folder (%APPDATA%\com.authdesk.desktop: the account's session, the embedded database)
  ; is the user's: it stays.
SectionEnd
