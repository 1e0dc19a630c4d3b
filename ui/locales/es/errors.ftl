# Errores, redactados según lo que falló (el código del servidor o la regla incumplida).

error-unreachable = No se puede conectar con { $server }. Compruebe la dirección y su conexión.
error-connection-lost = Se perdió la conexión con el servidor. Inténtelo de nuevo.
error-validation = Algunos datos no son válidos. Revíselos e inténtelo de nuevo.
error-weak-password = Esta contraseña no cumple las reglas de contraseñas.
error-breached-password = Esta contraseña ha aparecido en una filtración de datos; elija otra.
error-email-taken = Este correo electrónico ya está registrado.
error-invalid-credentials = Correo electrónico o contraseña incorrectos.
error-wrong-password = La contraseña es incorrecta.
error-not-authenticated = Inicie sesión.
error-session-expired = Su sesión ha caducado; vuelva a iniciar sesión.
error-session-revoked = Esta sesión se ha cerrado. Vuelva a iniciar sesión.
error-refresh-token-reused = Esta sesión se cerró por seguridad porque su inicio de sesión se usó dos veces. Vuelva a iniciar sesión.
error-mfa-required = Introduzca el código de su aplicación de autenticación.
error-invalid-code = Código no válido o caducado
error-code-required = Introduzca un código de su aplicación de autenticación o uno de sus códigos de recuperación.
error-mfa-expired = El inicio de sesión ha caducado. Vuelva a iniciar sesión.
error-mfa-already-enabled = La verificación en dos pasos ya está activada.
error-mfa-not-enabled = La verificación en dos pasos está desactivada.
error-mfa-not-set-up = Configure primero la verificación en dos pasos.
error-invalid-reset-code = Código no válido o caducado
error-account-disabled = Esta cuenta está desactivada.
error-email-not-verified = Su correo electrónico aún no está verificado. Introduzca el código que le enviamos.
error-invitation-required = El registro requiere una invitación.
error-invalid-invitation = Este código de invitación es incorrecto, ya se usó o ha caducado.
error-domain-not-allowed = El registro no está abierto para este correo electrónico.
error-sso-failed = El inicio de sesión único no se completó. Vuelva a iniciarlo desde la aplicación.
error-admin-required = Esto requiere un administrador.
error-not-allowed = No puede hacer eso con su propia cuenta.
error-not-found = Ya no existe: puede que se haya eliminado en otro lugar.
error-conflict = Ya existe.
error-version-conflict = Se modificó en otro lugar mientras tanto. Revise la versión actual e inténtelo de nuevo.
error-sync-restart = La lista debe cargarse de nuevo desde el servidor.
error-rate-limited = Demasiados intentos.
error-locked-out = Demasiados intentos fallidos para esta cuenta: queda en pausa durante un tiempo.
error-payload-too-large = Es demasiado grande para el servidor.
error-server-mismatch = El servidor no entendió la aplicación. ¿Es un servidor authdesk de una versión compatible?
error-busy = El servidor está ocupado. Inténtelo de nuevo en un momento.
error-unavailable = El servidor no está disponible en este momento. Inténtelo de nuevo en breve.
error-internal = Algo falló en el servidor. Inténtelo de nuevo; si vuelve a ocurrir, avise a quien administra el servidor.

# Las reglas de contraseñas, como errores y como lista.
password-rule-min-length = Al menos 8 caracteres
password-rule-max-length = Como máximo 128 caracteres
password-rule-uppercase = Una letra mayúscula
password-rule-lowercase = Una letra minúscula
password-rule-digit = Un número
password-rule-special = Un carácter especial (!@#$%^&* …)

password-error-min-length = La contraseña debe tener al menos 8 caracteres.
password-error-max-length = La contraseña no debe superar los 128 caracteres.
password-error-uppercase = La contraseña debe contener al menos una letra mayúscula.
password-error-lowercase = La contraseña debe contener al menos una letra minúscula.
password-error-digit = La contraseña debe contener al menos un número.
password-error-special = La contraseña debe contener al menos un carácter especial.

email-error-empty = Introduzca un correo electrónico.
email-error-too-long = El correo electrónico es demasiado largo (como máximo 254 caracteres).
email-error-invalid-format = El formato del correo electrónico no es válido.
email-error-lookalike = El correo electrónico no debe mezclar alfabetos ni contener caracteres invisibles.
