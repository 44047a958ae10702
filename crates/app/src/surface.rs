//! Where the agent reads what the app says (the window or the CLI), and the words that depend
//! on it.

use helpatwork_domain::Lang;

/// Where the agent reads what the app says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Surface {
    #[default]
    Window,
    Cli,
}

/// The fix for a missing TeamViewer sign-in: the command on the CLI, the button in the window.
pub fn sign_in_fix(surface: Surface, lang: Lang) -> &'static str {
    match surface {
        Surface::Cli => lang.pick(
            "Run `helpatwork auth login` (or save a script token: `helpatwork settings set teamviewer.token -`), then run the command again.",
            "Execute `helpatwork auth login` (ou salve um token de script: `helpatwork settings set teamviewer.token -`) e execute o comando novamente.",
        ),
        Surface::Window => lang.pick(
            "Sign in to TeamViewer: the start continues afterwards.",
            "Entre no TeamViewer: o início continua em seguida.",
        ),
    }
}
