# Iniciar sesión
sign-in-title = Iniciar sesión
sign-in-server = Servidor:
sign-in-server-unknown = desconocido
sign-in-password = Contraseña
sign-in-submit = Iniciar sesión
sign-in-submitting = Iniciando sesión…
sign-in-forgot-password = ¿Olvidó su contraseña?
sign-in-no-account = ¿Aún no tiene una cuenta?
sign-in-create-account = Cree una

# Iniciar sesión: el segundo paso (un código de la aplicación de autenticación o un código de recuperación)
sign-in-code-title = Inicio de sesión en dos pasos
sign-in-code-account-before = Iniciando sesión como
sign-in-code-account-after = .
sign-in-code-missing = Introduzca el código de 6 dígitos de su aplicación
sign-in-recovery-code-missing = Introduzca un código de recuperación
sign-in-recovery-code = Código de recuperación
sign-in-recovery-code-hint = Uno de los códigos que guardó al activar la verificación en dos pasos. Cada uno sirve una sola vez.
sign-in-code = Código de 6 dígitos
sign-in-code-hint = Abra su aplicación de autenticación e introduzca el código que muestra para authdesk.
sign-in-code-help = Los códigos cambian cada 30 segundos: use el que se muestra ahora y compruebe que el reloj de este equipo esté en hora.
sign-in-code-submit = Verificar
sign-in-code-submitting = Comprobando…
sign-in-use-app = Usar la aplicación de autenticación en su lugar
sign-in-use-recovery-code = Usar un código de recuperación en su lugar
sign-in-start-over = Empezar de nuevo

# Inicio de sesión único (en la pantalla de inicio de sesión de un servidor de equipo)
sso-waiting = Continúe en su navegador: inicie sesión allí con { $provider } y luego vuelva aquí.
sso-cancel = Cancelar
sso-sign-in = Iniciar sesión con { $provider }
sso-divider = o con su correo electrónico y contraseña

# Registrarse
sign-up-title = Crear cuenta
sign-up-heading = Cree su cuenta
sign-up-password = Contraseña
sign-up-invitation-code = Código de invitación
sign-up-invitation-hint = Del correo electrónico de invitación o de su administrador.
sign-up-submit = Crear cuenta
sign-up-submitting = Creando cuenta…
sign-up-have-account = ¿Ya tiene una cuenta?
sign-up-sign-in = Iniciar sesión
sign-up-second-factor = Cuenta creada; inicie sesión para continuar
sign-up-mode-invite = Este servidor registra por invitación: introduzca el código que recibió.
sign-up-mode-verified = Le enviaremos un código por correo electrónico para verificar su dirección.
sign-up-domains = Aquí solo pueden registrarse las direcciones que terminan en { $domains }.

# Revise su correo electrónico (el código de verificación enviado)
verify-email-heading = Revise su correo electrónico
verify-email-sent-before = Enviamos un código de 8 dígitos a
verify-email-sent-after = .
verify-email-unverified-before = Su dirección aún no está verificada. Solicite un código y luego introdúzcalo aquí:
verify-email-unverified-after = .
verify-email-code = Código de verificación
verify-email-hint = El código es válido durante una hora; si solicita uno nuevo, este lo reemplaza.
verify-email-help = Ese código es incorrecto, ya se usó, fue reemplazado por uno más reciente o caducó. Use el código del correo más reciente o solicite uno nuevo.
verify-email-submit = Verificar e iniciar sesión
verify-email-submitting = Comprobando…
verify-email-resend = Enviar un código nuevo
verify-email-resend-in = Enviar un código nuevo (en { $seconds } s)
verify-email-start-over = Empezar de nuevo
verify-email-code-missing = Introduzca el código de 8 dígitos del correo electrónico
verify-email-verified = Su dirección está verificada. Inicie sesión para continuar.
verify-email-resent = Si existe una cuenta sin verificar con esa dirección, se ha enviado un código nuevo.

# Olvidó su contraseña
forgot-password-title = Restablecer contraseña
forgot-password-heading = Restablezca su contraseña
forgot-password-loading = Cargando…
forgot-password-code-sent = Si existe una cuenta con esa dirección, se ha enviado un código de restablecimiento.
forgot-password-check-inbox = Revise su bandeja de entrada (y la carpeta de spam); el código es válido durante 30 minutos.
forgot-password-intro = Introduzca la dirección de correo electrónico de su cuenta y le enviaremos un código para establecer una contraseña nueva.
forgot-password-send-code = Enviar código
forgot-password-sending = Enviando…
forgot-password-have-code = Ya tengo un código
forgot-password-back = Volver a iniciar sesión
forgot-password-embedded = El servidor propio de esta aplicación no envía correos. En este equipo, obtenga un código con:
forgot-password-embedded-source-before = Desde la carpeta del código fuente de authdesk:
forgot-password-embedded-source-after = . El código sirve una sola vez, durante 30 minutos.
forgot-password-code-missing = Introduzca el código de 8 dígitos
forgot-password-reset-code = Código de restablecimiento
forgot-password-new-password = Contraseña nueva
forgot-password-submit = Establecer contraseña nueva
forgot-password-submitting = Guardando…
forgot-password-done = Se ha restablecido su contraseña. Inicie sesión con la contraseña nueva.

# Campos de formulario: correo electrónico, contraseña (con el botón Mostrar y la lista de reglas)
email-field-label = Correo electrónico
email-field-problem = { $problem } — p. ej., name@example.com
email-field-hint = Lo usaremos para iniciar su sesión.
password-field-show = Mostrar
password-field-hide = Ocultar
password-field-show-label = Mostrar contraseña
password-field-hide-label = Ocultar contraseña
password-checklist-label = Requisitos de la contraseña
password-checklist-met = (cumplido)
password-checklist-not-met = (no cumplido)
