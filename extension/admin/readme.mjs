// README.txt of the generated folder: which file goes where (Spanish, for the institution's IT staff).
// Its first line marks the folder as made by admin-templates.mjs, which may then overwrite it.
export const MARKER = 'Plantillas de administración de Blindaje Electoral';

export function readme({ id, geckoId, updateUrl, xpiUrl, policyFile, keys }) {
  return `${MARKER}
${'='.repeat(MARKER.length)}

Generadas de schema.json por extension/admin-templates.mjs; no las edite a mano: cambie la política
(${policyFile}) y vuelva a generarlas. La guía completa está en ADMIN.md.

Extensión para Chrome y Edge: ${id}
Complemento de Firefox:       ${geckoId}
Actualizaciones (Chrome/Edge): ${updateUrl}
Paquete de Firefox (.xpi):     ${xpiUrl}
Claves de la política (${keys.length}): ${keys.join(', ')}

linux/chromium-blindaje.json
    Chromium en Linux: copiar a /etc/chromium/policies/managed/blindaje.json (root, permisos 644).
linux/chrome-blindaje.json
    Google Chrome en Linux: copiar a /etc/opt/chrome/policies/managed/blindaje.json (root, permisos 644).
windows/blindaje-chrome-edge.reg
    Chrome y Edge en Windows: "reg import blindaje-chrome-edge.reg" como administrador, o por GPO / Intune.
    Escribe HKLM\\SOFTWARE\\Policies\\...\\3rdparty\\extensions\\${id}\\policy y la instalación forzada.
macos/blindaje.mobileconfig
    Chrome y Edge en macOS: perfil de configuración para Jamf u otro MDM (Perfiles de configuración › Subir).
firefox/policies.json
    Firefox: /etc/firefox/policies/policies.json (Linux), <carpeta de instalación>/distribution/policies.json
    (Windows, macOS). Si ya existe un policies.json, combine las claves "3rdparty" y "ExtensionSettings".
firefox/managed-storage/${geckoId}.json
    Firefox, alternativa sin policies.json: /usr/lib/mozilla/managed-storage/ (Linux, todo el equipo),
    ~/.mozilla/managed-storage/ (Linux, un usuario); en Windows, la ruta del archivo va en el registro
    HKLM\\SOFTWARE\\Mozilla\\ManagedStorage\\${geckoId} (valor predeterminado).
google-admin/policy-for-extensions.json
    Consola de administración de Google (Chrome Browser Cloud Management): contenido del campo
    "Política para extensiones" de la extensión ${id}.
`;
}
