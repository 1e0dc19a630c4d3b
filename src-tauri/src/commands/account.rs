//! Signing up and in, the account, its second factor and password reset.

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn register(app: Shell<'_>, args: Register) -> Answer<Register> {
    app.register(args.email, args.password, args.invitation_code).await
}

#[tauri::command]
pub async fn registration_info(app: Shell<'_>) -> Answer<GetRegistration> {
    app.registration_info().await
}

#[tauri::command]
pub async fn verify_email(app: Shell<'_>, args: VerifyEmail) -> Answer<VerifyEmail> {
    app.verify_email(args.email, args.code).await
}

#[tauri::command]
pub async fn resend_verification(app: Shell<'_>, args: ResendVerification) -> Answer<ResendVerification> {
    app.resend_verification(args.email).await
}

#[tauri::command]
pub async fn login(app: Shell<'_>, args: Login) -> Answer<Login> {
    app.login(args.email, args.password).await
}

#[tauri::command]
pub async fn verify_second_factor(app: Shell<'_>, args: VerifySecondFactor) -> Answer<VerifySecondFactor> {
    app.verify_second_factor(args.code, args.recovery).await
}

#[tauri::command]
pub async fn restore_session(app: Shell<'_>) -> Answer<RestoreSession> {
    app.restore_session().await
}

#[tauri::command]
pub async fn me(app: Shell<'_>) -> Answer<Me> {
    app.me().await
}

#[tauri::command]
pub async fn change_password(app: Shell<'_>, args: ChangePassword) -> Answer<ChangePassword> {
    app.change_password(args.current, args.new).await
}

#[tauri::command]
pub async fn delete_account(app: Shell<'_>, args: DeleteAccount) -> Answer<DeleteAccount> {
    app.delete_account(args.password).await
}

#[tauri::command]
pub async fn request_password_reset(app: Shell<'_>, args: RequestPasswordReset) -> Answer<RequestPasswordReset> {
    app.request_password_reset(args.email).await
}

#[tauri::command]
pub async fn confirm_password_reset(app: Shell<'_>, args: ConfirmPasswordReset) -> Answer<ConfirmPasswordReset> {
    app.confirm_password_reset(args.email, args.code, args.new_password).await
}

#[tauri::command]
pub async fn set_up_totp(app: Shell<'_>, args: SetUpTotp) -> Answer<SetUpTotp> {
    app.set_up_totp(args.password).await
}

#[tauri::command]
pub async fn enable_totp(app: Shell<'_>, args: EnableTotp) -> Answer<EnableTotp> {
    app.enable_totp(args.code).await
}

#[tauri::command]
pub async fn regenerate_recovery_codes(
    app: Shell<'_>,
    args: RegenerateRecoveryCodes,
) -> Answer<RegenerateRecoveryCodes> {
    app.regenerate_recovery_codes(args.password, args.code).await
}

#[tauri::command]
pub async fn disable_totp(app: Shell<'_>, args: DisableTotp) -> Answer<DisableTotp> {
    app.disable_totp(args.password, args.code).await
}

#[tauri::command]
pub async fn save_recovery_codes(app: Shell<'_>, args: SaveRecoveryCodes) -> Answer<SaveRecoveryCodes> {
    app.save_recovery_codes(args.codes)
}

#[tauri::command]
pub async fn sso_info(app: Shell<'_>) -> Answer<GetSso> {
    app.sso_info().await
}

#[tauri::command]
pub async fn sign_in_with_sso(app: Shell<'_>) -> Answer<SignInWithSso> {
    app.sign_in_with_sso().await
}

#[tauri::command]
pub async fn cancel_sso(app: Shell<'_>) -> Answer<CancelSso> {
    app.cancel_sso();
    Ok(())
}
