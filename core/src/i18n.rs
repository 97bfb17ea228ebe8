//! The locale catalog: every user-facing string of the link pages, in en_US
//! and es_CO. The `catalog!` macro makes a missing translation a compile
//! error; the tests catch empty or untranslated entries. The theme
//! studio's strings are a catalog of their own ([`StudioMsg`]): the link
//! pages never name one, so none of their bytes reach a link page's wasm.

use crate::Lang;

/// A catalog's message: its text in a language.
pub trait Text: Copy + Send + Sync + 'static {
    /// The message in `lang`.
    fn text(self, lang: Lang) -> &'static str;
}

macro_rules! catalog {
    ($(#[$edoc:meta])* enum $name:ident; $($(#[$doc:meta])* $key:ident => ($en:expr, $es:expr),)*) => {
        $(#[$edoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$doc])* $key,)*
        }

        impl $name {
            /// Every message, for completeness tests.
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// Every message's name, in the enum's order, for the
            /// exported catalog ([`export`]). Never in the wasm: the
            /// pages name messages by variant, not by string.
            #[cfg(not(target_arch = "wasm32"))]
            pub const NAMES: &'static [&'static str] = &[$(stringify!($key),)*];

            /// Every message's texts, English then Spanish, in the
            /// enum's order.
            const TEXTS: &'static [[&'static str; 2]] = &[$([$en, $es],)*];

            /// The message in `lang`: a table read, not a `match` (in the
            /// wasm a table of text addresses is a fraction of the code a
            /// match of one arm per message and language compiles to).
            pub fn text(self, lang: Lang) -> &'static str {
                let column = match lang {
                    Lang::EnUs => 0,
                    Lang::EsCo => 1,
                };
                Self::TEXTS[self as usize][column]
            }
        }

        impl Text for $name {
            fn text(self, lang: Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}

catalog! {
    /// A user-facing message of the link pages.
    enum Msg;
    /// Shown while a link loads.
    Loading => ("Loading…", "Cargando…"),
    /// Header of the not-found page.
    NotFoundTitle => ("Link not found", "Enlace no encontrado"),
    /// Body of the not-found page.
    NotFoundBody => (
        "This link doesn’t exist or is no longer available. Check the link you received or ask the company that sent it for a new one.",
        "Este enlace no existe o ya no está disponible. Revisa el enlace que recibiste o pide uno nuevo a la empresa que te lo envió."
    ),
    /// Connect page heading.
    ConnectTitle => ("Connect your bank account or wallet", "Conecta tu cuenta bancaria o billetera"),
    /// Theme studio heading.
    StudioTitle => ("Theme studio", "Editor de diseño"),
    /// Footer trust line.
    SecuredBy => ("Secured by DRUO", "Protegido por DRUO"),
    /// Trust line under "Secured by DRUO": what the merchant never sees
    /// and what no one will ask for.
    TrustShared => (
        "Your details are sent encrypted. {merchant} never sees your full account or mobile number, and DRUO never asks for your passwords.",
        "Tus datos se envían cifrados. {merchant} nunca ve tu número de cuenta o de celular completo y DRUO nunca te pide tus claves."
    ),
    /// Accessible name of the language switch.
    LanguageLabel => ("Language", "Idioma"),
    /// The language's own name, for the switch.
    LanguageName => ("English", "Español"),
    /// "{merchant} uses DRUO…" prefix line: who sent the link.
    SentBy => ("Requested by", "Solicitado por"),
    /// Expired link heading.
    ExpiredTitle => ("This link has expired", "Este enlace venció"),
    /// Expired link body; names the merchant.
    ExpiredBody => ("Ask {merchant} for a new link.", "Pide a {merchant} un enlace nuevo."),
    /// Completed link heading.
    CompletedTitle => ("This link was already used", "Este enlace ya fue utilizado"),
    /// Generic service error heading.
    ServiceErrorTitle => ("We couldn’t load this page", "No pudimos cargar esta página"),
    /// Generic service error body.
    ServiceErrorBody => (
        "Check your connection and try again. Nothing you entered has been lost.",
        "Revisa tu conexión e inténtalo de nuevo. Lo que escribiste sigue aquí."
    ),
    /// Retry button.
    Retry => ("Try again", "Intentar de nuevo"),
    /// Step counter; `{n}` of `{total}`.
    StepOf => ("Step {n} of {total}", "Paso {n} de {total}"),
    /// Who the link was prepared for.
    PreparedFor => ("For {name}", "Para {name}"),
    /// Heading of the "how this works" list.
    HowItWorksTitle => ("How this works", "Cómo funciona"),
    /// First point.
    HowItWorks1 => (
        "Choose your bank or wallet and enter your account or mobile number.",
        "Elige tu banco o billetera e ingresa tu número de cuenta o de celular."
    ),
    /// Second point.
    HowItWorks2 => (
        "DRUO verifies the account with your bank or wallet. We never ask for your online banking password.",
        "DRUO verifica la cuenta con tu banco o billetera. Nunca te pedimos la clave de tu banca virtual."
    ),
    /// Third point: what the merchant receives.
    HowItWorks3 => (
        "{merchant} receives only the name of the bank or wallet, the last 4 digits and the account’s status.",
        "{merchant} recibe solo el nombre del banco o billetera, los últimos 4 dígitos y el estado de la cuenta."
    ),
    /// Primary action to move on.
    Continue => ("Continue", "Continuar"),
    /// Go back a step.
    Back => ("Back", "Atrás"),
    /// Bank step heading.
    ChooseBankTitle => ("Choose your bank or wallet", "Elige tu banco o billetera"),
    /// Label of the bank search box.
    SearchBankLabel => ("Search for your bank or wallet", "Busca tu banco o billetera"),
    /// Hint under the bank search box.
    SearchBankHint => (
        "Type part of its name, then choose it from the list.",
        "Escribe parte del nombre y elígelo de la lista."
    ),
    /// Accessible name of the result list.
    BankListLabel => ("Banks and wallets", "Bancos y billeteras"),
    /// No search result; `{query}` is what was typed.
    NoBankMatches => ("No bank or wallet matches “{query}”.", "Ningún banco o billetera coincide con “{query}”."),
    /// No search result: what to try first.
    NoMatchSpelling => (
        "Check the spelling, or try the name on your card or in your app.",
        "Revisa cómo lo escribiste o prueba con el nombre que aparece en tu tarjeta o en tu app."
    ),
    /// No search result: it may not be supported, and what to do then.
    NoMatchUnsupported => (
        "It may not be supported yet. If so, you can connect an account at another bank or wallet.",
        "Puede que todavía no esté disponible. Si es así, puedes conectar una cuenta de otro banco o billetera."
    ),
    /// Heading of the most used institutions' tiles, above the search.
    PopularTitle => ("Most used", "Los más usados"),
    /// Continue with the preselected bank.
    ContinueWith => ("Continue with {bank}", "Continuar con {bank}"),
    /// Account step heading.
    AccountDetailsTitle => ("Enter your account details", "Ingresa los datos de tu cuenta"),
    /// Its wallet twin ([`Msg::for_kind`]).
    WalletDetailsTitle => ("Enter your wallet details", "Ingresa los datos de tu billetera"),
    /// The chosen bank, above the form.
    BankLabel => ("Bank", "Banco"),
    /// Change the chosen bank.
    ChangeBank => ("Change", "Cambiar"),
    /// Account type label.
    AccountTypeLabel => ("Account type", "Tipo de cuenta"),
    /// Savings account.
    SubtypeSavings => ("Savings", "Ahorros"),
    /// Checking account.
    SubtypeChecking => ("Checking", "Corriente"),
    /// Account number label.
    AccountNumberLabel => ("Account number", "Número de cuenta"),
    /// Account number hint: `{digits}` is the bank's digit counts
    /// ([`digits_words`]); where a person finds the number.
    AccountNumberHint => (
        "Numbers only, {digits} digits. It’s in your bank’s app, on the account’s screen, or on your statement.",
        "Solo números, {digits} dígitos. Está en la app de tu banco, en la pantalla de la cuenta o en tu extracto."
    ),
    /// Digit counts as a range.
    DigitsRange => ("{min} to {max}", "entre {min} y {max}"),
    /// Digit counts as a list: `{list}` is comma-separated.
    DigitsOr => ("{list} or {last}", "{list} o {last}"),
    /// Whose account the link expects (`{name}` masked, "J••• D•••").
    HolderLine => ("The account must be in the name of {name}.", "La cuenta debe estar a nombre de {name}."),
    /// The same with the document, `{id}` as "CC ••••4321".
    HolderLineId => (
        "The account must be in the name of {name}, {id}.",
        "La cuenta debe estar a nombre de {name}, {id}."
    ),
    /// Whose wallet the link expects.
    HolderLineWallet => ("The wallet must be in the name of {name}.", "La billetera debe estar a nombre de {name}."),
    /// The same with the document.
    HolderLineIdWallet => (
        "The wallet must be in the name of {name}, {id}.",
        "La billetera debe estar a nombre de {name}, {id}."
    ),
    /// A national identity document, abbreviated as people write it.
    IdNational => ("ID", "CC"),
    /// A foreigner's identity card.
    IdForeigner => ("foreigner ID", "CE"),
    /// A passport.
    IdPassport => ("passport", "pasaporte"),
    /// A tax id.
    IdTax => ("tax ID", "NIT"),
    /// A driver's license.
    IdLicense => ("driver’s license", "licencia de conducción"),
    /// Any other document.
    IdOther => ("ID", "documento"),
    /// Second account number label.
    ConfirmNumberLabel => ("Type the account number again", "Escribe de nuevo el número de cuenta"),
    /// The legal authorization; `{merchant}` and `{bank}` are filled in.
    AuthorizationText => (
        "I am the holder of this account, or am authorized to use it, and I authorize DRUO to verify it with {bank} and to share the bank’s name, the last 4 digits and the account’s status with {merchant} for the payments I authorize.",
        "Soy titular de esta cuenta, o tengo autorización para usarla, y autorizo a DRUO a verificarla con {bank} y a compartir con {merchant} el nombre del banco, los últimos 4 dígitos y el estado de la cuenta para los pagos que yo autorice."
    ),
    /// Submit the account.
    SubmitAccount => ("Connect account", "Conectar cuenta"),
    /// Submit the wallet.
    SubmitWallet => ("Connect wallet", "Conectar billetera"),
    /// Submit in flight.
    Submitting => ("Connecting…", "Conectando…"),
    /// Field error: empty.
    ErrRequired => ("This field is required.", "Este campo es obligatorio."),
    /// Field error: no bank.
    ErrChooseBank => ("Choose your bank or wallet.", "Elige tu banco o billetera."),
    /// Field error: no subtype.
    ErrChooseSubtype => ("Choose the account type.", "Elige el tipo de cuenta."),
    /// Field error: not digits.
    ErrDigitsOnly => ("Use digits only, without spaces or dashes.", "Usa solo números, sin espacios ni guiones."),
    /// Field error: length.
    ErrLength => ("The account number must have {digits} digits.", "El número de cuenta debe tener {digits} dígitos."),
    /// Field error: length, at a bank with its own digit counts.
    ErrLengthAt => ("{bank} account numbers have {digits} digits.", "Los números de cuenta de {bank} tienen {digits} dígitos."),
    /// Field error: numbers differ.
    ErrMismatch => ("The two numbers don’t match. Check the second one.", "Los dos números no coinciden. Revisa el segundo."),
    /// Field error: subtype not offered.
    ErrUnsupported => ("This bank doesn’t offer this account type. Choose another type.", "Este banco no ofrece este tipo de cuenta. Elige otro tipo."),
    /// Field error: box not ticked.
    ErrAuthorize => ("Check the box to authorize the verification.", "Marca la casilla para autorizar la verificación."),
    /// Field error: refused by the service.
    ErrRefused => ("DRUO didn’t accept this value. Check that it’s complete and correct, then try again.", "DRUO no aceptó este dato. Revisa que esté completo y correcto, e inténtalo de nuevo."),
    /// Submit failed for a network or service reason.
    SubmitFailed => (
        "DRUO can’t be reached right now. Your details are still here. Try again.",
        "No hay conexión con DRUO en este momento. Tus datos siguen aquí. Inténtalo de nuevo."
    ),
    /// Shown when the user is offline.
    Offline => ("You’re offline. Nothing you typed is lost.", "Estás sin conexión. No se pierde nada de lo que escribiste."),
    /// A submit or payment pressed while offline: nothing left the phone,
    /// and the banner above already says why.
    SubmitOffline => (
        "Nothing was sent. Try again once you’re back online.",
        "No se envió nada. Inténtalo de nuevo cuando vuelvas a tener conexión."
    ),
    /// The live wait for the institution's approval: heading.
    PendingTitle => ("Approve the request in {bank}", "Aprueba la solicitud en {bank}"),
    /// What to do, for a bank or a wallet alike.
    PendingConfirmWithInstitution => (
        "Open the {bank} app and approve the request from DRUO. This page updates on its own as soon as {bank} confirms.",
        "Abre la app de {bank} y aprueba la solicitud de DRUO. Esta página se actualiza sola en cuanto {bank} confirme."
    ),
    /// The live wait's status line.
    WaitingFor => ("Waiting for {bank} to confirm…", "Esperando la confirmación de {bank}…"),
    /// The live wait after a minute.
    StillWaitingFor => (
        "Still waiting for {bank}. Approving can take a few minutes; you can leave this page open.",
        "Seguimos esperando a {bank}. Aprobar puede tardar unos minutos; puedes dejar esta página abierta."
    ),
    /// The live wait could not reach DRUO; it keeps trying.
    WaitOffline => (
        "We can’t reach DRUO right now. We’ll keep checking.",
        "No hay conexión con DRUO en este momento. Seguiremos revisando."
    ),
    /// Re-check in flight.
    Checking => ("Checking…", "Verificando…"),
    /// The wait's own check, on a page without its app (which reloads
    /// itself every few seconds too).
    CheckAgain => ("Check now", "Revisar ahora"),
    /// Under the most used institutions, before a search: the whole catalog.
    ShowAllBanks => ("See all banks and wallets", "Ver todos los bancos y billeteras"),
    /// A page's form sent from another site (refused).
    FormFromElsewhere => (
        "This form can only be sent from its own DRUO page. Open the link you received and try again.",
        "Este formulario solo se puede enviar desde su propia página de DRUO. Abre el enlace que recibiste e inténtalo de nuevo."
    ),
    /// The deposit code step: heading.
    OtpTitle => ("Confirm the small deposit", "Confirma el pequeño depósito"),
    /// What the deposit is and where its code is; `{bank}`, `{account}`.
    OtpBody => (
        "DRUO sent a small deposit to your {bank} account {account}. Find it in your account activity: its description has a code. Type it here to finish connecting.",
        "DRUO envió un pequeño depósito a tu cuenta de {bank} {account}. Búscalo en tus movimientos: su descripción tiene un código. Escríbelo aquí para terminar de conectar."
    ),
    /// The deposit code's label.
    OtpLabel => ("Deposit code", "Código del depósito"),
    /// Send the code.
    OtpSubmit => ("Confirm code", "Confirmar código"),
    /// No code typed.
    OtpRequired => ("Type the code from the deposit’s description.", "Escribe el código que aparece en la descripción del depósito."),
    /// A wrong code, with attempts left; `{left}`.
    OtpWrong => (
        "That’s not the right code. Check the deposit and try again: {left} attempts left.",
        "Ese código no es el correcto. Revisa el depósito e inténtalo de nuevo: te quedan {left} intentos."
    ),
    /// A wrong code, one attempt left.
    OtpWrongLast => (
        "That’s not the right code. Check the deposit carefully: you have 1 attempt left. If it’s wrong again, you’ll need to connect the account again.",
        "Ese código no es el correcto. Revisa bien el depósito: te queda 1 intento. Si vuelve a fallar, tendrás que conectar la cuenta de nuevo."
    ),
    /// An attempt that ended: heading.
    RejectedTitle => ("We couldn’t connect this account", "No pudimos conectar esta cuenta"),
    /// `UNABLE_TO_LOCATE_ACCOUNT` (and no such account).
    EndedNotFound => (
        "{bank} couldn’t find {account}. Check the number, or choose another bank or wallet.",
        "{bank} no encontró {account}. Revisa el número o elige otro banco o billetera."
    ),
    /// `ACCOUNT_CLOSED`.
    EndedClosed => (
        "{bank} says {account} is closed. Connect another account.",
        "{bank} informa que {account} está cerrada. Conecta otra cuenta."
    ),
    /// `ACCOUNT_BLOCKED` (`DISABLED`).
    EndedBlocked => (
        "{bank} has blocked {account}, so it can’t be connected. Contact {bank}, or connect another account.",
        "{bank} bloqueó {account}, así que no se puede conectar. Comunícate con {bank} o conecta otra cuenta."
    ),
    /// `AUTHORIZATION_REVOKED_BY_END_USER` (`DISCONNECTED`).
    EndedRevoked => (
        "The authorization for {account} was canceled at {bank}. Connect it again to authorize it, or choose another account.",
        "La autorización de {account} se canceló en {bank}. Conéctala de nuevo para autorizarla o elige otra cuenta."
    ),
    /// `RECONNECTION_REQUIRED`.
    EndedReconnect => (
        "{bank} needs you to connect {account} again. Check the details, then connect it.",
        "{bank} pide conectar de nuevo {account}. Revisa los datos y conéctala otra vez."
    ),
    /// `AUTHENTICATION_FAILED`: the deposit code was wrong three times.
    EndedCodeFailed => (
        "The deposit code was wrong three times, so {account} wasn’t connected. Connect it again for a new deposit, or choose another account.",
        "El código del depósito fue incorrecto tres veces, así que {account} no quedó conectada. Conéctala de nuevo para recibir otro depósito o elige otra cuenta."
    ),
    /// `AUTHENTICATION_TIMED_OUT`.
    EndedTimedOut => (
        "The time to confirm {account} ran out. Connect it again to start over.",
        "Se acabó el tiempo para confirmar {account}. Conéctala de nuevo para empezar otra vez."
    ),
    /// The merchant, the country or the institution is not enabled.
    EndedNotEnabled => (
        "{bank} accounts can’t be connected here right now. Choose another bank or wallet, or contact {merchant}.",
        "Por ahora no se pueden conectar cuentas de {bank} aquí. Elige otro banco o billetera, o comunícate con {merchant}."
    ),
    /// Any other remark.
    RejectedOther => (
        "{bank} didn’t accept {account}. Check the number, or choose another bank or wallet.",
        "{bank} no aceptó {account}. Revisa el número o elige otro banco o billetera."
    ),
    /// Go back to fix the number.
    FixNumber => ("Fix the number", "Corregir el número"),
    /// Go back to the bank step.
    ChooseAnotherBank => ("Choose another bank or wallet", "Elegir otro banco o billetera"),
    /// Confirmation heading.
    ConnectedTitle => ("Account connected", "Cuenta conectada"),
    /// Confirmation body.
    ConnectedBody => ("{merchant} can now use this account.", "{merchant} ya puede usar esta cuenta."),
    /// A wallet's confirmation heading.
    ConnectedWalletTitle => ("Wallet connected", "Billetera conectada"),
    /// Its body.
    ConnectedWalletBody => ("{merchant} can now use this wallet.", "{merchant} ya puede usar esta billetera."),
    /// Label: status.
    StatusLabel => ("Status", "Estado"),
    /// Label: account.
    AccountLabel => ("Account", "Cuenta"),
    /// Status `CREATED`.
    StatusCreated => ("Received", "Recibida"),
    /// Status `VERIFICATION_PENDING`, `VALIDATION_PENDING`.
    StatusPending => ("Pending confirmation", "Pendiente de confirmación"),
    /// Status `*_IN_PROGRESS`.
    StatusInProgress => ("Being verified", "En verificación"),
    /// Status `VALIDATED`.
    StatusValidated => ("Validated", "Validada"),
    /// Status `CONNECTED`.
    StatusConnected => ("Connected", "Conectada"),
    /// Status `CONNECTION_FAILED`, `VALIDATION_FAILED`.
    StatusFailed => ("Could not be connected", "No se pudo conectar"),
    /// Status `DISCONNECTED`.
    StatusDisconnected => ("Disconnected", "Desconectada"),
    /// Status `DISABLED`.
    StatusDisabled => ("Disabled", "Deshabilitada"),
    /// Status `RECONNECTION_REQUIRED`.
    StatusReconnect => ("Needs to be connected again", "Hay que conectarla de nuevo"),
    /// Back to the merchant.
    ReturnTo => ("Return to {merchant}", "Volver a {merchant}"),
    /// Redirecting now.
    Redirecting => ("Taking you back to {merchant}…", "Te llevamos de vuelta a {merchant}…"),
    /// Summary panel heading (expandable on phones).
    PaymentSummary => ("Payment summary", "Resumen del pago"),
    /// Amount label.
    AmountLabel => ("Amount", "Valor"),
    /// The statement descriptor's label.
    StatementLabel => ("On your statement", "En tu extracto o movimientos"),
    /// Whom the payment goes to.
    PayeeLabel => ("Payment to", "Pago a"),
    /// The summary's fold: statement line and reference.
    PaymentDetails => ("Payment details", "Detalles del pago"),
    /// The merchant's name for the link, for when the payer talks to them.
    ReferenceLabel => ("Reference", "Referencia"),
    /// Account choice heading.
    ChoosePaymentTitle => ("How do you want to pay?", "¿Cómo quieres pagar?"),
    /// Connected accounts legend.
    YourAccounts => ("Your connected accounts", "Tus cuentas conectadas"),
    /// No connected account yet.
    NoAccountsYet => ("You have no connected account yet.", "Aún no tienes una cuenta conectada."),
    /// Connect a new account instead.
    ConnectNewAccount => ("Connect a new account", "Conectar una cuenta nueva"),
    /// The debit authorization; `{merchant}`, `{amount}`, `{bank}`, `{last4}`.
    DebitAuthorization => (
        "I authorize {merchant} to debit {amount} from my {bank} account ending in {last4}, through DRUO.",
        "Autorizo a {merchant} a debitar {amount} de mi cuenta de {bank} terminada en {last4}, a través de DRUO."
    ),
    /// Pay button.
    PayAmount => ("Pay {amount}", "Pagar {amount}"),
    /// Payment in flight.
    Paying => ("Paying…", "Pagando…"),
    /// Field error: no account chosen.
    ErrChooseAccount => ("Choose the account to pay with.", "Elige la cuenta con la que vas a pagar."),
    /// Paid heading.
    PaidTitle => ("Payment successful", "Pago aprobado"),
    /// Paid but settling heading.
    PaymentPendingTitle => ("Payment in process", "Pago en proceso"),
    /// Paid body.
    PaidBody => ("{merchant} has received your payment.", "{merchant} ya recibió tu pago."),
    /// Pending body.
    PaymentPendingBody => (
        "The debit is being processed. We’ll let {merchant} know when it goes through. You don’t need to do anything else.",
        "El débito está en proceso. Le avisaremos a {merchant} cuando se complete. No tienes que hacer nada más."
    ),
    /// A payment that did not go through (`FAILED`, `CANCELED`,
    /// `CREATED`): heading.
    DeclinedTitle => ("The payment didn’t go through", "El pago no se realizó"),
    /// `INSUFFICIENT_FUNDS`.
    DeclinedInsufficientFunds => (
        "There isn’t enough money in this account for this payment. Try another account.",
        "La cuenta no tiene saldo suficiente para este pago. Intenta con otra cuenta."
    ),
    /// `EXCEEDS_ACCOUNT_LIMIT`, `EXCEEDS_LIMITS`, `BELOW_MINIMUM_AMOUNT`.
    DeclinedLimit => (
        "The amount is outside what {bank} allows for this account. Try another account.",
        "El valor está fuera de lo que {bank} permite para esta cuenta. Intenta con otra cuenta."
    ),
    /// `ACCOUNT_NOT_CONNECTED`.
    DeclinedNotConnected => (
        "This account is no longer connected. Pay with another account, or connect this one again.",
        "Esta cuenta ya no está conectada. Paga con otra cuenta o vuelve a conectarla."
    ),
    /// `ACCOUNT_BLOCKED`.
    DeclinedBlocked => (
        "{bank} says this account is blocked. Pay with another account, or contact {bank}.",
        "{bank} informa que esta cuenta está bloqueada. Paga con otra cuenta o comunícate con {bank}."
    ),
    /// `ACCOUNT_CLOSED`.
    DeclinedClosed => (
        "{bank} says this account is closed. Pay with another account.",
        "{bank} informa que esta cuenta está cerrada. Paga con otra cuenta."
    ),
    /// `UNABLE_TO_LOCATE_ACCOUNT`, `INVALID_ACCOUNT_NUMBER`: the bank
    /// didn't find the account.
    DeclinedNotFound => (
        "{bank} couldn’t find this account. Pay with another account, or connect it again with the right number.",
        "{bank} no encontró esta cuenta. Paga con otra cuenta o conéctala de nuevo con el número correcto."
    ),
    /// The customer could not be matched to the account.
    DeclinedNotMatched => (
        "{bank} couldn’t confirm that this account is yours. Pay with an account in your name.",
        "{bank} no pudo confirmar que esta cuenta es tuya. Paga con una cuenta a tu nombre."
    ),
    /// `AUTHORIZATION_REVOKED_BY_*`, `PAYMENT_STOPPED`.
    DeclinedRevoked => (
        "The authorization for this debit was withdrawn, so it was canceled. Authorize it again, or pay with another account.",
        "La autorización de este débito se retiró, así que se canceló. Autorízalo de nuevo o paga con otra cuenta."
    ),
    /// `UNAUTHORIZED_OR_NOT_KNOWN_TO_RECEIVER`.
    DeclinedUnrecognized => (
        "{bank} didn’t recognize the authorization for this debit. Try again, or pay with another account.",
        "{bank} no reconoció la autorización de este débito. Inténtalo de nuevo o paga con otra cuenta."
    ),
    /// The merchant canceled it, or cannot take payments now.
    DeclinedByMerchant => (
        "{merchant} can’t take this payment right now. Contact {merchant} to pay.",
        "{merchant} no puede recibir este pago en este momento. Comunícate con {merchant} para pagar."
    ),
    /// The institution cannot take it.
    DeclinedInstitution => (
        "{bank} can’t process this payment through DRUO. Pay with an account at another bank or wallet.",
        "{bank} no puede procesar este pago a través de DRUO. Paga con una cuenta de otro banco o billetera."
    ),
    /// `CREATED`: it was never sent.
    DeclinedNotSent => (
        "The payment wasn’t sent to {bank}. Try again, or pay with another account.",
        "El pago no se envió a {bank}. Inténtalo de nuevo o paga con otra cuenta."
    ),
    /// Any other remark.
    DeclinedOther => ("{bank} didn’t accept the debit. Try another account.", "{bank} no aceptó el débito. Intenta con otra cuenta."),
    /// A payment being refunded: heading.
    RefundingTitle => ("Payment being refunded", "Reembolso en proceso"),
    /// Its body.
    RefundingBody => (
        "{merchant} is returning this payment to your account. If you didn’t expect it, contact {merchant}.",
        "{merchant} está devolviendo este pago a tu cuenta. Si no lo esperabas, comunícate con {merchant}."
    ),
    /// A refunded payment: heading.
    RefundedTitle => ("Payment refunded", "Pago reembolsado"),
    /// Its body.
    RefundedBody => (
        "{merchant} returned this payment to your account. If you didn’t expect it, contact {merchant}.",
        "{merchant} devolvió este pago a tu cuenta. Si no lo esperabas, comunícate con {merchant}."
    ),
    /// A disputed payment: heading.
    DisputedTitle => ("Payment in dispute", "Pago en disputa"),
    /// Its body.
    DisputedBody => (
        "This payment is in dispute. {merchant} will contact you about it.",
        "Este pago está en disputa. {merchant} se comunicará contigo."
    ),
    /// A reversed payment: heading.
    ReversedTitle => ("Payment reversed", "Pago reversado"),
    /// Its body.
    ReversedBody => (
        "This debit was reversed and the money went back to your account. Contact {merchant} to pay again.",
        "Este débito se reversó y el dinero volvió a tu cuenta. Comunícate con {merchant} para pagar de nuevo."
    ),
    /// Back to the account choice.
    PayWithAnother => ("Pay with another account", "Pagar con otra cuenta"),
    /// "Continue on your phone" (a desktop's hand-off).
    HandoffTitle => ("Continue on your phone", "Continúa en tu celular"),
    /// What the hand-off does.
    HandoffBody => (
        "Scan this code with your phone’s camera to continue there, at this same step, where your bank or wallet app is. You’ll also see how it ends on this page.",
        "Escanea este código con la cámara de tu celular para seguir allá, en este mismo paso, donde tienes la app de tu banco o billetera. En esta página también verás cómo termina."
    ),
    /// The QR code's text alternative.
    HandoffQrAlt => ("QR code of this page’s address", "Código QR de la dirección de esta página"),
    /// Before the address in words.
    HandoffOrType => ("Or type this address on your phone:", "O escribe esta dirección en tu celular:"),
    /// The comprobante's heading.
    ReceiptTitle => ("Payment receipt", "Comprobante de pago"),
    /// Receipt label: the merchant.
    MerchantLabel => ("Merchant", "Comercio"),
    /// Receipt label: what the payment is for.
    ConceptLabel => ("For", "Concepto"),
    /// Receipt label: date and time.
    DateLabel => ("Date", "Fecha"),
    /// Print the receipt (the browser offers "Save as PDF").
    ReceiptPrint => ("Print or save as PDF", "Imprimir o guardar como PDF"),
    /// Share the receipt's words.
    ReceiptShare => ("Share receipt", "Compartir comprobante"),
    /// The receipt's words were copied (no share sheet in this browser).
    ReceiptCopied => ("Receipt copied: paste it wherever you keep it.", "Comprobante copiado: pégalo donde lo guardes."),
    /// The receipt email's last line.
    ReceiptEmailFooter => (
        "DRUO sent you this receipt on behalf of {merchant}.",
        "DRUO te envía este comprobante en nombre de {merchant}."
    ),
    /// The page, once the receipt was emailed; `{email}` masked.
    ReceiptEmailed => ("We emailed this receipt to {email}.", "Te enviamos este comprobante a {email}."),
    /// The page, while the receipt waits to be emailed.
    ReceiptEmailing => ("We’ll email this receipt to {email}.", "Te enviaremos este comprobante a {email}."),
    /// A date and time in Colombia; `{time}` from `TimeAm`/`TimePm`.
    DateTimeColombia => ("{month} {day}, {year}, {time} (Colombia time)", "{day} de {month} de {year}, {time} (hora de Colombia)"),
    /// A morning time.
    TimeAm => ("{h}:{m}\u{a0}AM", "{h}:{m}\u{a0}a.\u{a0}m."),
    /// An afternoon or evening time.
    TimePm => ("{h}:{m}\u{a0}PM", "{h}:{m}\u{a0}p.\u{a0}m."),
    /// Months.
    MonthJan => ("January", "enero"),
    /// Months.
    MonthFeb => ("February", "febrero"),
    /// Months.
    MonthMar => ("March", "marzo"),
    /// Months.
    MonthApr => ("April", "abril"),
    /// Months.
    MonthMay => ("May", "mayo"),
    /// Months.
    MonthJun => ("June", "junio"),
    /// Months.
    MonthJul => ("July", "julio"),
    /// Months.
    MonthAug => ("August", "agosto"),
    /// Months.
    MonthSep => ("September", "septiembre"),
    /// Months.
    MonthOct => ("October", "octubre"),
    /// Months.
    MonthNov => ("November", "noviembre"),
    /// Months.
    MonthDec => ("December", "diciembre"),
    /// Transaction code label.
    TransactionCodeLabel => ("Payment code", "Código del pago"),
    /// Transaction status `CREATED`.
    TxCreated => ("Not sent", "No enviado"),
    /// Transaction status `PENDING`.
    TxPending => ("Pending", "Pendiente"),
    /// Transaction status `PROCESSING`.
    TxProcessing => ("Processing", "En proceso"),
    /// Transaction status `SUCCESSFUL`.
    TxSuccessful => ("Successful", "Aprobado"),
    /// Transaction status `REFUNDING`.
    TxRefunding => ("Being refunded", "En reembolso"),
    /// Transaction status `REFUNDED`.
    TxRefunded => ("Refunded", "Reembolsado"),
    /// Transaction status `DISPUTED`.
    TxDisputed => ("Disputed", "En disputa"),
    /// Transaction status `FAILED`.
    TxFailed => ("Failed", "Fallido"),
    /// Transaction status `CANCELED`.
    TxCanceled => ("Canceled", "Cancelado"),
    /// Transaction status `REVERSED`.
    TxReversed => ("Reversed", "Reversado"),
    /// Already paid link heading.
    AlreadyPaidTitle => ("This payment was already made", "Este pago ya fue realizado"),
    /// Already paid link body.
    AlreadyPaidBody => (
        "Nothing more to do here. If you have questions about it, contact {merchant}.",
        "No hay nada más que hacer aquí. Si tienes preguntas, comunícate con {merchant}."
    ),
    /// Completed link body.
    CompletedBody => (
        "If you need to change your account, ask {merchant} for a new link.",
        "Si necesitas cambiar tu cuenta, pide a {merchant} un enlace nuevo."
    ),
    /// A submit pressed with something missing or wrong.
    FormIncomplete => (
        "Some details are missing or incorrect. Check the marked fields.",
        "Faltan datos o hay que corregir alguno. Revisa los campos marcados."
    ),
    /// The pay button pressed without the authorization.
    ErrAuthorizeDebit => ("Check the box to authorize the payment.", "Marca la casilla para autorizar el pago."),
    /// A submit or payment slower than two seconds.
    StillWorking => ("Still working. This can take a few seconds.", "Seguimos procesando. Esto puede tardar unos segundos."),
    /// The chosen wallet, above the form.
    WalletLabel => ("Wallet", "Billetera"),
    /// A wallet's number label.
    MobileNumberLabel => ("Mobile number", "Número de celular"),
    /// A wallet's number hint.
    MobileNumberHint => (
        "The mobile number registered with the wallet: 10 digits, starting with 3.",
        "El celular registrado en la billetera: 10 dígitos, empieza por 3."
    ),
    /// Second mobile number label.
    ConfirmMobileLabel => ("Type the mobile number again", "Escribe de nuevo el número de celular"),
    /// Field error: not a Colombian mobile number.
    ErrMobile => (
        "Enter a 10-digit mobile number that starts with 3.",
        "Ingresa un número de celular de 10 dígitos que empiece por 3."
    ),
    /// The legal authorization for a wallet; `{merchant}` and `{bank}`.
    AuthorizationWallet => (
        "I am the holder of this wallet, or am authorized to use it, and I authorize DRUO to verify it with {bank} and to share the wallet’s name, the last 4 digits of its mobile number and its status with {merchant} for the payments I authorize.",
        "Soy titular de esta billetera, o tengo autorización para usarla, y autorizo a DRUO a verificarla con {bank} y a compartir con {merchant} el nombre de la billetera, los últimos 4 dígitos del celular y el estado de la billetera para los pagos que yo autorice."
    ),
    /// An account named in a sentence; `{last4}`.
    TheAccountEnding => ("the account ending in {last4}", "la cuenta terminada en {last4}"),
    /// A wallet named in a sentence; `{last4}`.
    TheWalletEnding => ("the wallet with the mobile number ending in {last4}", "la billetera con el celular terminado en {last4}"),
    /// A connect link whose account was received, with nothing for the
    /// person to do (`CREATED`): heading.
    ReceivedTitle => ("We received your account details", "Recibimos los datos de tu cuenta"),
    /// A wallet's, received.
    ReceivedWalletTitle => ("We received your wallet details", "Recibimos los datos de tu billetera"),
    /// Its body.
    ReceivedBody => (
        "{merchant} will finish connecting it. You don’t need to come back to this link.",
        "{merchant} terminará de conectarla. No necesitas volver a este enlace."
    ),
    /// The rejected step's main way on when the account must be connected
    /// again (its authorization ended, its code failed or timed out).
    ConnectAgain => ("Connect again", "Conectar de nuevo"),
    /// The rejected step's main way on when this account cannot be used.
    ConnectAnother => ("Connect another account", "Conectar otra cuenta"),
    /// An account the bank just declined, marked in the account list.
    DeclinedMark => ("payment declined just now", "pago rechazado hace un momento"),
    /// When an account was connected; `{date}`.
    ConnectedOn => ("connected {date}", "conectada el {date}"),
}

catalog! {
    /// A user-facing message of the theme studio (`/preview`).
    enum StudioMsg;
    /// Studio: the panel's heading.
    StudioPanel => ("Theme", "Tema"),
    /// Studio: link kind.
    StudioKind => ("Link kind", "Tipo de enlace"),
    /// Studio: connect link.
    StudioConnect => ("Connect link", "Enlace de conexión"),
    /// Studio: checkout link.
    StudioCheckout => ("Checkout link", "Enlace de pago"),
    /// Studio: state menu.
    StudioState => ("State to show", "Estado a mostrar"),
    /// Studio: colours group.
    StudioColors => ("Colors", "Colores"),
    /// Studio: texts group.
    StudioTexts => ("Texts", "Textos"),
    /// Studio: intro text in English.
    StudioIntroEn => ("Intro text (English)", "Texto de introducción (inglés)"),
    /// Studio: intro text in Spanish.
    StudioIntroEs => ("Intro text (Spanish)", "Texto de introducción (español)"),
    /// Studio: checkout link name.
    StudioLinkName => ("Link name", "Nombre del enlace"),
    /// Studio: checkout link description.
    StudioLinkDescription => ("Link description", "Descripción del enlace"),
    /// Studio: the transaction's amount field, with its unit.
    StudioAmount => ("Amount, in centavos (2000000 is COP 20,000)", "Valor, en centavos (2000000 son $ 20.000)"),
    /// Studio: the transaction's statement line, as the designer names it.
    StudioStatement => ("Statement line", "Línea del extracto"),
    /// Studio: the transaction's description.
    StudioTxDescription => ("Payment description", "Concepto del pago"),
    /// Studio: invalid hex.
    StudioInvalidHex => ("That isn’t a color: type it as #RGB or #RRGGBB, like #1b2a4a. Until then, the default is used.", "Eso no es un color: escríbelo como #RGB o #RRGGBB, por ejemplo #1b2a4a. Mientras tanto, se usa el predeterminado."),
    /// Studio: contrast report heading.
    StudioContrast => ("Contrast (WCAG 2.2 AA)", "Contraste (WCAG 2.2 AA)"),
    /// Studio: a pair passes.
    StudioPass => ("Pass", "Cumple"),
    /// Studio: a pair fails.
    StudioFail => ("Fail", "No cumple"),
    /// Studio: failing text the page shows in black.
    StudioFixBlack => ("The page shows this text in black so it stays readable.", "La página muestra este texto en negro para que se lea bien."),
    /// Studio: failing text the page shows in white.
    StudioFixWhite => ("The page shows this text in white so it stays readable.", "La página muestra este texto en blanco para que se lea bien."),
    /// Studio: a brand colour too light on `{bg}` (a colour's name); the page uses `{color}`.
    StudioFixDarker => ("Too light on “{bg}”: the page will use {color}, a darker shade of your color. Use it?", "Muy claro sobre “{bg}”: la página usará {color}, un tono más oscuro de tu color. ¿Quieres usarlo?"),
    /// Studio: a brand colour too dark on `{bg}`; the page uses `{color}`.
    StudioFixLighter => ("Too dark on “{bg}”: the page will use {color}, a lighter shade of your color. Use it?", "Muy oscuro sobre “{bg}”: la página usará {color}, un tono más claro de tu color. ¿Quieres usarlo?"),
    /// Studio: no shade keeps the hue; the page outlines the button in `{color}` (black or white, as a word).
    StudioFixOutline => ("Too close to “{bg}”, and no shade of it stands out: the page keeps your color and draws a {color} outline around it.", "Muy parecido a “{bg}” y ningún tono suyo se distingue: la página conserva tu color y le pone un borde {color}."),
    /// Studio: the colour black, in a sentence.
    StudioBlack => ("black", "negro"),
    /// Studio: the colour white, in a sentence.
    StudioWhite => ("white", "blanco"),
    /// Studio: writes the suggested `{color}` into the field.
    StudioUseColor => ("Use {color}", "Usar {color}"),
    /// Studio: contrast table column: the two colours.
    StudioColPair => ("Colors", "Colores"),
    /// Studio: contrast table column: the ratio.
    StudioColRatio => ("Ratio", "Relación"),
    /// Studio: contrast table column: the minimum.
    StudioColMin => ("Minimum", "Mínimo"),
    /// Studio: contrast table column: pass or fail.
    StudioColResult => ("Result", "Resultado"),
    /// Studio: "{fg} on {bg}", two colours' names.
    StudioOn => ("{fg} on {bg}", "{fg} sobre {bg}"),
    /// Studio: tag of a colour field left at its default.
    StudioDefault => ("default", "predeterminado"),
    /// Studio: resets a colour field (names the colour).
    StudioReset => ("Reset", "Restablecer"),
    /// Studio: accessible name of a colour's picker; `{name}`.
    StudioPick => ("Pick “{name}”", "Elegir “{name}”"),
    /// Studio: the previewed page's language.
    StudioPreviewLang => ("Preview language", "Idioma de la vista previa"),
    /// Studio: colour slot `background_color`.
    SlotPageBg => ("Page background", "Fondo de la página"),
    /// Studio: colour slot of the content box's background.
    SlotBoxBg => ("Card background", "Fondo del recuadro"),
    /// Studio: colour slot of the content box's text.
    SlotBoxText => ("Card text", "Texto del recuadro"),
    /// Studio: colour slot `button_color`.
    SlotButton => ("Button", "Botón"),
    /// Studio: colour slot `button_text_color`.
    SlotButtonText => ("Button text", "Texto del botón"),
    /// Studio: colour slot `sidebar_background_color`.
    SlotSidebarBg => ("Summary background", "Fondo del resumen"),
    /// Studio: colour slot `sidebar_text_color`.
    SlotSidebarText => ("Summary text", "Texto del resumen"),
    /// Studio: desktop frame.
    StudioDesktop => ("Desktop", "Escritorio"),
    /// Studio: phone frame.
    StudioPhone => ("Phone, 360 px", "Celular, 360 px"),
    /// Studio: copy JSON button.
    StudioCopyJson => ("Copy JSON", "Copiar JSON"),
    /// Studio: copied.
    StudioCopied => ("Copied", "Copiado"),
    /// Studio: what the JSON is.
    StudioJsonHint => ("Request-body fields for {endpoint}:", "Campos del cuerpo de la solicitud para {endpoint}:"),
    /// Studio: the heading over reading a create request.
    StudioImportTitle => ("Read a create request", "Leer una solicitud de creación"),
    /// Studio: the box a request is pasted or dropped into.
    StudioImportLabel => (
        "Paste the JSON of a connect or checkout link request, or drop its file here.",
        "Pega el JSON de una solicitud de enlace de conexión o de pago, o suelta aquí su archivo."
    ),
    /// Studio: apply the pasted request.
    StudioImportApply => ("Apply JSON", "Aplicar JSON"),
    /// Studio: the request was applied.
    StudioImportApplied => (
        "Done: the preview shows what the request sets, and the defaults for what it leaves out.",
        "Listo: la vista previa muestra lo que indica la solicitud, y lo predeterminado para lo que no indica."
    ),
    /// Studio: the paste is not JSON; `{line}` where it breaks.
    StudioImportNotJson => ("Line {line} isn’t valid JSON: check for a missing quote, comma or brace, then apply again. Nothing changed.", "La línea {line} no es JSON válido: revisa si falta una comilla, una coma o una llave, y vuelve a aplicar. No cambió nada."),
    /// Studio: the paste is JSON but not an object.
    StudioImportNotObject => (
        "This isn’t a request body, which is a JSON object: {\u{a0}…\u{a0}}. Paste the whole object. Nothing changed.",
        "Esto no es el cuerpo de una solicitud, que es un objeto JSON: {\u{a0}…\u{a0}}. Pega el objeto completo. No cambió nada."
    ),
    /// Studio: a field no create request of this kind has.
    StudioImportUnknown => (
        "Line {line}: “{field}” isn’t a field of this create request. Check its spelling or remove it. Nothing changed.",
        "Línea {line}: “{field}” no es un campo de esta solicitud de creación. Revisa cómo está escrito o quítalo. No cambió nada."
    ),
    /// Studio: a known field with a value of the wrong kind.
    /// `{expected}` is one of the `StudioExpect…` messages.
    StudioImportWrongType => (
        "Line {line}: “{field}” takes {expected}. Nothing changed.",
        "Línea {line}: “{field}” lleva {expected}. No cambió nada."
    ),
    /// Studio: what a text field takes.
    StudioExpectText => ("text in quotes", "un texto entre comillas"),
    /// Studio: what a colour field takes.
    StudioExpectColor => ("a color in quotes, like “#1b2a4a”", "un color entre comillas, como “#1b2a4a”"),
    /// Studio: what `default_language` takes.
    StudioExpectLanguage => ("“en_US” or “es_CO”", "“en_US” o “es_CO”"),
    /// Studio: what `intro_text` takes.
    StudioExpectTextByLanguage => (
        "text in quotes, or an object with “en_US” and “es_CO” texts",
        "un texto entre comillas, o un objeto con textos “en_US” y “es_CO”"
    ),
    /// Studio: what `transaction.amount` takes.
    StudioExpectAmount => (
        "a whole number of centavos above 0, without quotes (2000000 is COP 20,000)",
        "un número entero de centavos mayor que 0, sin comillas (2000000 son $ 20.000)"
    ),
    /// Studio: what `transaction` takes.
    StudioExpectObject => ("an object: {\u{a0}…\u{a0}}", "un objeto: {\u{a0}…\u{a0}}"),
    /// Studio: applied, the request naming no `default_language`.
    StudioImportAppliedEnglish => (
        "Done: the preview shows what the request sets. It names no default_language, so the preview is in English, the service’s default.",
        "Listo: la vista previa muestra lo que indica la solicitud. No indica default_language, así que la vista previa está en inglés, el idioma predeterminado del servicio."
    ),
    /// Studio: share hint.
    StudioShareHint => ("This page’s address brings back this exact preview.", "La dirección de esta página vuelve a abrir esta misma vista."),
    /// Studio states.
    StudioStateIntro => ("Intro", "Introducción"),
    /// Studio state (checkout): the payer's existing accounts.
    StudioStateChoose => ("Choose an account", "Elegir una cuenta"),
    /// Studio state (checkout): a new account's picker.
    StudioStateNewPicker => ("New account: choose the bank or wallet", "Cuenta nueva: elegir el banco o la billetera"),
    /// Studio state (checkout): a new account's form.
    StudioStateNewForm => ("New account: form", "Cuenta nueva: formulario"),
    /// Studio state (checkout).
    StudioStateDeclined => ("Payment declined", "Pago rechazado"),
    /// Studio state (checkout).
    StudioStatePaymentPending => ("Payment pending", "Pago pendiente"),
    /// Studio state (checkout).
    StudioStatePaid => ("Paid", "Pagado"),
    /// Studio state (checkout).
    StudioStateAlreadyPaid => ("Already paid", "Ya pagado"),
    /// Studio state (connect).
    StudioStateUsed => ("Link already used", "Enlace ya utilizado"),
    /// Studio state.
    StudioStatePicker => ("Institution picker", "Selector de banco"),
    /// Studio state.
    StudioStateForm => ("Account form", "Formulario de cuenta"),
    /// Studio state.
    StudioStateFormErrors => ("Form with errors", "Formulario con errores"),
    /// Studio state.
    StudioStatePending => ("Pending confirmation", "Pendiente de confirmación"),
    /// Studio state.
    StudioStateRejected => ("Rejection", "Rechazo"),
    /// Studio state.
    StudioStateConfirmation => ("Confirmation", "Confirmación"),
    /// Studio state.
    StudioStateExpired => ("Expired", "Vencido"),
    /// Studio state.
    StudioStateNotFound => ("Not found", "No encontrado"),
    /// Studio state.
    StudioStateServiceError => ("Service error", "Error del servicio"),
}

catalog! {
    /// The card a messaging app shows for a shared link, from the page its
    /// link-preview crawler gets (link-server's `preview`). A catalog of
    /// its own: the link pages never name one, so none of its bytes reach
    /// their wasm. Never a person's name, an amount or a description: the
    /// crawler is the messaging company's server.
    enum PreviewMsg;
    /// Preview title of an open connect link; names the merchant.
    PreviewConnectTitle => ("{merchant} — connect your bank account or wallet", "{merchant} — conecta tu cuenta bancaria o billetera"),
    /// Preview text of an open connect link.
    PreviewConnectBody => (
        "Connect your bank account or wallet securely with DRUO. DRUO never asks for your online banking password.",
        "Conecta tu cuenta bancaria o billetera de forma segura con DRUO. DRUO nunca te pide la clave de tu banca virtual."
    ),
    /// Preview title of an open checkout link; names the merchant.
    PreviewCheckoutTitle => ("{merchant} — payment link", "{merchant} — enlace de pago"),
    /// Preview text of an open checkout link.
    PreviewCheckoutBody => (
        "Review the payment and pay securely from your bank account or wallet with DRUO.",
        "Revisa el pago y paga de forma segura desde tu cuenta bancaria o billetera con DRUO."
    ),
    /// Preview title of a link that is not open (unknown, expired, used).
    PreviewGenericTitle => ("DRUO — secure link", "DRUO — enlace seguro"),
    /// Preview text of a link that is not open.
    PreviewGenericBody => (
        "Open the link to continue securely with DRUO.",
        "Abre el enlace para continuar de forma segura con DRUO."
    ),
}

/// The messages that speak of an account, each with its twin for a
/// wallet: the glossary calls a wallet neither an account nor a bank, so
/// a wallet's form, confirmation and sentences read the twin. Declared
/// once; views ask [`Msg::for_kind`].
const WALLET_TWINS: &[(Msg, Msg)] = &[
    (Msg::AccountDetailsTitle, Msg::WalletDetailsTitle),
    (Msg::BankLabel, Msg::WalletLabel),
    (Msg::AccountNumberLabel, Msg::MobileNumberLabel),
    (Msg::AccountNumberHint, Msg::MobileNumberHint),
    (Msg::ConfirmNumberLabel, Msg::ConfirmMobileLabel),
    (Msg::HolderLine, Msg::HolderLineWallet),
    (Msg::HolderLineId, Msg::HolderLineIdWallet),
    (Msg::AuthorizationText, Msg::AuthorizationWallet),
    (Msg::SubmitAccount, Msg::SubmitWallet),
    (Msg::ConnectedTitle, Msg::ConnectedWalletTitle),
    (Msg::ConnectedBody, Msg::ConnectedWalletBody),
    (Msg::ReceivedTitle, Msg::ReceivedWalletTitle),
    (Msg::AccountLabel, Msg::MobileNumberLabel),
    (Msg::TheAccountEnding, Msg::TheWalletEnding),
];

impl Msg {
    /// This message as it speaks of an institution of `kind`: a wallet's
    /// twin where it has one ([`WALLET_TWINS`]), else itself.
    pub fn for_kind(self, kind: crate::dto::InstitutionKind) -> Msg {
        match kind {
            crate::dto::InstitutionKind::Wallet => WALLET_TWINS
                .iter()
                .find(|(account, _)| *account == self)
                .map_or(self, |(_, wallet)| *wallet),
            crate::dto::InstitutionKind::Bank => self,
        }
    }
}

/// Fills `{key}` placeholders of a catalog text with values. Values are
/// plain text; views render the result as a text node, never as markup.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// An account as people read it, "Davivienda •••• 1111": no-break
/// spaces keep the name's last word, the dots and the digits on one line.
/// Without a name, only the dots and digits.
pub fn masked_account(bank: &str, last_4: &str) -> String {
    let digits = format!("\u{2022}\u{2022}\u{2022}\u{2022}\u{a0}{last_4}");
    if bank.is_empty() {
        digits
    } else {
        format!("{bank}\u{a0}{digits}")
    }
}

/// The localized name of an account status.
pub fn status_msg(status: crate::status::AccountStatus) -> Msg {
    use crate::status::AccountStatus as S;
    match status {
        S::Created => Msg::StatusCreated,
        S::VerificationPending | S::ValidationPending => Msg::StatusPending,
        S::VerificationInProgress | S::ValidationInProgress => Msg::StatusInProgress,
        S::Validated => Msg::StatusValidated,
        S::Connected => Msg::StatusConnected,
        S::ConnectionFailed | S::ValidationFailed => Msg::StatusFailed,
        S::Disconnected => Msg::StatusDisconnected,
        S::Disabled => Msg::StatusDisabled,
        S::ReconnectionRequired => Msg::StatusReconnect,
    }
}

/// The localized name of a transaction status.
pub fn transaction_status_msg(status: crate::status::PaymentStatus) -> Msg {
    use crate::status::PaymentStatus as S;
    match status {
        S::Created => Msg::TxCreated,
        S::Pending => Msg::TxPending,
        S::Processing => Msg::TxProcessing,
        S::Successful => Msg::TxSuccessful,
        S::Refunding => Msg::TxRefunding,
        S::Refunded => Msg::TxRefunded,
        S::Disputed => Msg::TxDisputed,
        S::Failed => Msg::TxFailed,
        S::Canceled => Msg::TxCanceled,
        S::Reversed => Msg::TxReversed,
    }
}

/// What the page says of an attempt that ended (`AccountStatus::ended`):
/// why, by its status and remark, and what to do next. Placeholders:
/// `{bank}`, `{account}` (the account or wallet named with its last
/// digits) and `{merchant}`.
pub fn ended_msg(
    status: crate::status::AccountStatus,
    remark: Option<crate::status::AccountRemark>,
) -> Msg {
    use crate::status::{AccountRemark as R, AccountStatus as S};
    match (status, remark) {
        (_, Some(R::AuthenticationFailed)) => Msg::EndedCodeFailed,
        (_, Some(R::AuthenticationTimedOut)) => Msg::EndedTimedOut,
        (_, Some(R::AuthorizationRevokedByEndUser)) => Msg::EndedRevoked,
        (_, Some(R::AccountClosed | R::AccountInactive)) => Msg::EndedClosed,
        (_, Some(R::AccountBlocked)) | (S::Disabled, _) => Msg::EndedBlocked,
        (
            _,
            Some(
                R::UnableToLocateAccount
                | R::AccountDoesNotExist
                | R::InvalidAccountNumber
                | R::UnableToLocateAccountHolder
                | R::UnableToLocateEndUser,
            ),
        ) => Msg::EndedNotFound,
        (
            _,
            Some(
                R::InstitutionNotSupported
                | R::CountryNotEnabled
                | R::RequestedByMerchant
                | R::UserIneligible,
            ),
        ) => Msg::EndedNotEnabled,
        // Disconnected with no remark that says why: its authorization
        // ended, so it is connected again (nothing says the number is wrong).
        (S::ReconnectionRequired | S::Disconnected, _) => Msg::EndedReconnect,
        _ => Msg::RejectedOther,
    }
}

/// The rejected step's main way on, by the message that said why: the
/// number fixed where it may be wrong; the same account connected again
/// where its authorization or code ended; another account where this one
/// cannot be used; `None` where the institution cannot be used here at
/// all (then choosing another bank or wallet is the way on).
pub fn rejected_action(why: Msg) -> Option<Msg> {
    match why {
        Msg::EndedNotFound | Msg::RejectedOther => Some(Msg::FixNumber),
        Msg::EndedRevoked | Msg::EndedReconnect | Msg::EndedCodeFailed | Msg::EndedTimedOut => {
            Some(Msg::ConnectAgain)
        }
        Msg::EndedNotEnabled => None,
        _ => Some(Msg::ConnectAnother),
    }
}

/// What the declined step offers first, by why the payment didn't go
/// through ([`declined_way`]): a body that says "try again" or "contact
/// the merchant" gets a button that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclinedWay {
    /// The same account again: the payment was never sent, or its
    /// authorization was not recognized or was withdrawn.
    TryAgain,
    /// Another account (this one cannot pay it).
    AnotherAccount,
    /// Back to the merchant: only they can take this payment.
    Merchant,
}

/// The declined step's main way on, by the message that said why.
pub fn declined_way(why: Msg) -> DeclinedWay {
    match why {
        Msg::DeclinedNotSent | Msg::DeclinedUnrecognized | Msg::DeclinedRevoked => {
            DeclinedWay::TryAgain
        }
        Msg::DeclinedByMerchant => DeclinedWay::Merchant,
        _ => DeclinedWay::AnotherAccount,
    }
}

/// The heading and body of a payment's outcome, by its status and
/// remark. Placeholders: `{merchant}` and `{bank}`.
pub fn payment_words(
    status: crate::status::PaymentStatus,
    remark: Option<crate::status::TransactionRemark>,
) -> (Msg, Msg) {
    use crate::status::{PaymentStatus as S, TransactionRemark as R};
    let not_made = |body| (Msg::DeclinedTitle, body);
    match status {
        S::Successful => (Msg::PaidTitle, Msg::PaidBody),
        S::Pending | S::Processing => (Msg::PaymentPendingTitle, Msg::PaymentPendingBody),
        S::Refunding => (Msg::RefundingTitle, Msg::RefundingBody),
        S::Refunded => (Msg::RefundedTitle, Msg::RefundedBody),
        S::Disputed => (Msg::DisputedTitle, Msg::DisputedBody),
        S::Reversed => (Msg::ReversedTitle, Msg::ReversedBody),
        S::Created => not_made(Msg::DeclinedNotSent),
        S::Failed | S::Canceled => not_made(match remark {
            Some(R::InsufficientFunds) => Msg::DeclinedInsufficientFunds,
            Some(R::ExceedsAccountLimit | R::ExceedsLimits | R::BelowMinimumAmount) => {
                Msg::DeclinedLimit
            }
            Some(R::AccountNotConnected) => Msg::DeclinedNotConnected,
            Some(R::AccountBlocked) => Msg::DeclinedBlocked,
            Some(R::AccountClosed) => Msg::DeclinedClosed,
            Some(R::UnableToLocateAccount | R::InvalidAccountNumber) => Msg::DeclinedNotFound,
            Some(R::UnableToLocateCustomer | R::AccountDoesNotBelongToCustomer) => {
                Msg::DeclinedNotMatched
            }
            Some(
                R::AuthorizationRevokedByCustomer
                | R::AuthorizationRevokedByEndUser
                | R::PaymentStopped,
            ) => Msg::DeclinedRevoked,
            Some(
                R::UnauthorizedOrNotKnownToReceiver | R::NotInAccordanceWithTermsOfAuthorization,
            ) => Msg::DeclinedUnrecognized,
            Some(
                R::RequestedByMerchant
                | R::BillingSuspension
                | R::CountryNotEnabled
                | R::DuplicateTransaction,
            ) => Msg::DeclinedByMerchant,
            Some(R::InstitutionNotSupported | R::InstitutionCannotProcessTransaction) => {
                Msg::DeclinedInstitution
            }
            Some(R::ReturnedByOriginator) | None => Msg::DeclinedOther,
        }),
    }
}

/// The studio's name for a preview state of a link kind (a checkout's
/// first state is its choice of accounts, its confirmation "Paid").
pub fn preview_state_msg(k: crate::studio::Kind, s: crate::studio::PreviewState) -> StudioMsg {
    use crate::studio::{Kind::*, PreviewState as P};
    match (k, s) {
        (Connect, P::Intro) => StudioMsg::StudioStateIntro,
        (Checkout, P::Intro) => StudioMsg::StudioStateChoose,
        (Connect, P::Picker) => StudioMsg::StudioStatePicker,
        (Checkout, P::Picker) => StudioMsg::StudioStateNewPicker,
        (Connect, P::Form) => StudioMsg::StudioStateForm,
        (Checkout, P::Form) => StudioMsg::StudioStateNewForm,
        (_, P::FormErrors) => StudioMsg::StudioStateFormErrors,
        (_, P::Pending) => StudioMsg::StudioStatePending,
        (_, P::Rejected) => StudioMsg::StudioStateRejected,
        (_, P::Declined) => StudioMsg::StudioStateDeclined,
        (_, P::PaymentPending) => StudioMsg::StudioStatePaymentPending,
        (Connect, P::Confirmation) => StudioMsg::StudioStateConfirmation,
        (Checkout, P::Confirmation) => StudioMsg::StudioStatePaid,
        (Connect, P::Used) => StudioMsg::StudioStateUsed,
        (Checkout, P::Used) => StudioMsg::StudioStateAlreadyPaid,
        (_, P::Expired) => StudioMsg::StudioStateExpired,
        (_, P::NotFound) => StudioMsg::StudioStateNotFound,
        (_, P::ServiceError) => StudioMsg::StudioStateServiceError,
    }
}

/// A colour field's name in a designer's words (`theme::Slot::field`);
/// `None` for a field without one (a test keeps every slot named).
pub fn slot_msg(field: &str) -> Option<StudioMsg> {
    Some(match field {
        "background_color" => StudioMsg::SlotPageBg,
        "content_background_color" | "main_content_box_background_color" => StudioMsg::SlotBoxBg,
        "content_box_text_color" | "main_content_box_text_color" => StudioMsg::SlotBoxText,
        "button_color" => StudioMsg::SlotButton,
        "button_text_color" => StudioMsg::SlotButtonText,
        "sidebar_background_color" => StudioMsg::SlotSidebarBg,
        "sidebar_text_color" => StudioMsg::SlotSidebarText,
        _ => return None,
    })
}

/// `inst`'s account-number digit counts in `lang`'s words ("6 to 20",
/// "12 o 16").
pub fn digits_words(inst: Option<&crate::dto::Institution>, lang: Lang) -> String {
    use crate::input::{number_lengths, Lengths};
    Lengths::of(&number_lengths(inst)).words(Msg::DigitsRange.text(lang), Msg::DigitsOr.text(lang))
}

/// A form problem in words. A number of the wrong length says the
/// institution's own digit counts, naming it when they are its own.
pub fn problem_text(
    field: crate::form::Field,
    problem: crate::form::Problem,
    inst: Option<&crate::dto::Institution>,
    lang: Lang,
) -> String {
    if problem != crate::form::Problem::Length {
        return problem_msg(field, problem).text(lang).to_string();
    }
    let digits = digits_words(inst, lang);
    match inst.filter(|i| !i.number_lengths.is_empty()) {
        Some(i) => fill(
            Msg::ErrLengthAt.text(lang),
            &[("bank", &i.name), ("digits", &digits)],
        ),
        None => fill(Msg::ErrLength.text(lang), &[("digits", &digits)]),
    }
}

/// The account-number hint for `inst`: a bank's digit counts and where
/// the number is found; a wallet's is its mobile number.
pub fn number_hint(inst: Option<&crate::dto::Institution>, lang: Lang) -> String {
    match inst.map(|i| i.kind) {
        Some(kind @ crate::dto::InstitutionKind::Wallet) => {
            Msg::AccountNumberHint.for_kind(kind).text(lang).to_string()
        }
        _ => fill(
            Msg::AccountNumberHint.text(lang),
            &[("digits", &digits_words(inst, lang))],
        ),
    }
}

/// Whose account a link expects, in words: "The account must be in the
/// name of J••• D•••, CC ••••4321."
pub fn holder_line(
    h: &crate::dto::AccountHolder,
    kind: crate::dto::InstitutionKind,
    lang: Lang,
) -> String {
    let id = h.id_last_4.as_deref().map(|last| {
        let kind = match h.id_type.as_deref() {
            Some("NATIONAL_ID" | "NATIONAL_IDENTITY_CARD") => Msg::IdNational,
            Some("FOREIGNER_ID") => Msg::IdForeigner,
            Some("PASSPORT") => Msg::IdPassport,
            Some("TAX_ID") => Msg::IdTax,
            Some("DRIVERS_LICENSE") => Msg::IdLicense,
            _ => Msg::IdOther,
        };
        format!("{}\u{a0}{}", kind.text(lang), masked_account("", last))
    });
    match id {
        Some(id) => fill(
            Msg::HolderLineId.for_kind(kind).text(lang),
            &[("name", &h.name), ("id", &id)],
        ),
        None => fill(
            Msg::HolderLine.for_kind(kind).text(lang),
            &[("name", &h.name)],
        ),
    }
}

/// The three catalogs as JSON, `{catalog: {message: {en_US, es_CO}}}`:
/// what `link-server catalog` prints, so the e2e suites read the words
/// they look for from here instead of copying them (`tests/e2e/words.mjs`).
#[cfg(not(target_arch = "wasm32"))]
pub fn export() -> serde_json::Value {
    fn one<T: Text>(all: &[T], names: &[&str]) -> serde_json::Value {
        let entries = all.iter().zip(names).map(|(msg, name)| {
            let texts = Lang::ALL
                .iter()
                .map(|lang| (lang.code().to_owned(), msg.text(*lang).into()))
                .collect::<serde_json::Map<_, _>>();
            ((*name).to_owned(), serde_json::Value::Object(texts))
        });
        serde_json::Value::Object(entries.collect())
    }
    serde_json::json!({
        "Msg": one(Msg::ALL, Msg::NAMES),
        "StudioMsg": one(StudioMsg::ALL, StudioMsg::NAMES),
        "PreviewMsg": one(PreviewMsg::ALL, PreviewMsg::NAMES),
    })
}

/// The message for a form problem, by field. A refused length has words
/// of its own: [`problem_text`].
pub fn problem_msg(field: crate::form::Field, problem: crate::form::Problem) -> Msg {
    use crate::form::{Field, Problem};
    match (field, problem) {
        (Field::Institution, Problem::Required) => Msg::ErrChooseBank,
        (Field::Subtype, Problem::Required) => Msg::ErrChooseSubtype,
        (_, Problem::Required) => Msg::ErrRequired,
        (_, Problem::DigitsOnly) => Msg::ErrDigitsOnly,
        (_, Problem::Length) => Msg::ErrLength,
        (_, Problem::Mismatch) => Msg::ErrMismatch,
        (_, Problem::Unsupported) => Msg::ErrUnsupported,
        (_, Problem::NotAuthorized) => Msg::ErrAuthorize,
        (_, Problem::NotAMobileNumber) => Msg::ErrMobile,
        (_, Problem::Refused) => Msg::ErrRefused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The e2e suites look messages up by these names, in both languages.
    #[test]
    fn the_export_names_every_message_as_its_variant_in_both_languages() {
        fn check<T: Text + std::fmt::Debug>(json: &serde_json::Value, all: &[T], names: &[&str]) {
            assert_eq!(json.as_object().map(|o| o.len()), Some(all.len()));
            for (msg, name) in all.iter().zip(names) {
                assert_eq!(format!("{msg:?}"), *name);
                for lang in Lang::ALL {
                    assert_eq!(json[*name][lang.code()], msg.text(lang), "{name} {lang:?}");
                }
            }
        }
        let json = export();
        check(&json["Msg"], Msg::ALL, Msg::NAMES);
        check(&json["StudioMsg"], StudioMsg::ALL, StudioMsg::NAMES);
        check(&json["PreviewMsg"], PreviewMsg::ALL, PreviewMsg::NAMES);
    }

    #[test]
    fn masked_account_never_breaks_between_name_dots_and_digits() {
        assert_eq!(
            masked_account("Davivienda", "1111"),
            "Davivienda\u{a0}••••\u{a0}1111"
        );
        assert_eq!(masked_account("", "5678"), "••••\u{a0}5678");
        let label = masked_account("Banco de Bogotá", "0544");
        assert_eq!(
            label.split(' ').collect::<Vec<_>>(),
            ["Banco", "de", "Bogotá\u{a0}••••\u{a0}0544"]
        );
    }

    /// Entries that are the same word in both languages on purpose.
    const SAME_IN_BOTH: &[StudioMsg] = &[StudioMsg::StudioContrast];

    /// Every entry of both catalogs: its name and its two texts.
    fn entries() -> Vec<(String, &'static str, &'static str)> {
        let link = Msg::ALL
            .iter()
            .map(|&m| (format!("{m:?}"), m.text(Lang::EnUs), m.text(Lang::EsCo)));
        let studio = StudioMsg::ALL
            .iter()
            .filter(|m| !SAME_IN_BOTH.contains(m))
            .map(|&m| {
                (
                    format!("StudioMsg::{m:?}"),
                    m.text(Lang::EnUs),
                    m.text(Lang::EsCo),
                )
            });
        let preview = PreviewMsg::ALL.iter().map(|&m| {
            (
                format!("PreviewMsg::{m:?}"),
                m.text(Lang::EnUs),
                m.text(Lang::EsCo),
            )
        });
        link.chain(studio).chain(preview).collect()
    }

    /// Every placeholder a text uses, so both languages fill the same ones.
    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(k, _)| k))
            .collect();
        v.sort();
        v
    }

    /// Words docs/glossary.md ("Ruled out") keeps off every page: Spain's
    /// or calqued Spanish, British spelling.
    const RULED_OUT: &[&str] = &[
        "Monto",
        "monto",
        "fondos suficientes",
        "en ello",
        "\u{ab}",
        "\u{bb}",
        "banca en línea",
        "aplicación",
        "Estudio de temas",
        "exitoso",
        "Exitoso",
        "colour",
        "Colour",
        "Tick the box",
        // Typographic apostrophes and quotes (the glossary's "Voice").
        "'",
        "\"",
    ];

    #[test]
    fn no_message_uses_a_word_the_glossary_rules_out() {
        // Every catalog, all of it (the same-in-both list included).
        let studio_same = SAME_IN_BOTH
            .iter()
            .map(|&m| (format!("{m:?}"), m.text(Lang::EnUs), m.text(Lang::EsCo)));
        for (name, en, es) in entries().into_iter().chain(studio_same) {
            for word in RULED_OUT {
                assert!(!en.contains(word), "{name} (en_US) says “{word}”: {en}");
                assert!(!es.contains(word), "{name} (es_CO) says “{word}”: {es}");
            }
            // A wallet is never called a bank (the glossary): a message
            // for wallets names none, in either language.
            if name.contains("Wallet") {
                let banks = ["bank", "Bank", "banco", "Banco", "bancaria"];
                let named = names_any(en, &banks) || names_any(es, &banks);
                assert!(!named, "{name} names a bank: {en} / {es}");
            }
        }
    }

    /// Whether `text` has one of `words` as a whole word, placeholders
    /// aside (`{bank}` is the wallet's own name).
    fn names_any(text: &str, words: &[&str]) -> bool {
        let plain: String = text
            .split('{')
            .map(|p| p.split_once('}').map_or(p, |(_, rest)| rest))
            .collect();
        plain
            .split(|c: char| !c.is_alphabetic())
            .any(|w| words.contains(&w))
    }

    /// A wallet's words speak of the wallet: every twin names neither an
    /// account nor a bank, needs no placeholder the message it stands for
    /// is not given, and a bank keeps the message itself.
    #[test]
    fn a_wallets_twins_name_no_account_and_need_nothing_more() {
        use crate::dto::InstitutionKind::{Bank, Wallet};
        let holes = |t: &str| {
            let mut h: Vec<String> = t
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(k, _)| k.to_owned()))
                .collect();
            h.sort();
            h
        };
        for &(account, wallet) in WALLET_TWINS {
            assert_eq!(account.for_kind(Bank), account);
            assert_eq!(account.for_kind(Wallet), wallet);
            for lang in Lang::ALL {
                let (a, w) = (account.text(lang), wallet.text(lang));
                // What fills the message fills its twin (a wallet's
                // number hint names no digit counts).
                let given = holes(a);
                assert!(
                    holes(w).iter().all(|h| given.contains(h)),
                    "{account:?} / {wallet:?}"
                );
                let named = names_any(
                    w,
                    &[
                        "account", "Account", "cuenta", "Cuenta", "bank", "Bank", "banco", "Banco",
                    ],
                );
                assert!(!named, "{wallet:?} names an account or bank: {w}");
            }
        }
        // A message with no twin is the same for both.
        assert_eq!(Msg::Continue.for_kind(Wallet), Msg::Continue);
    }

    /// Every declined row of the sandbox says what the bank said (blocked
    /// is not "closed", a number not found is not "not yours"), and a body
    /// that says "try again" or "contact the merchant" leads with that.
    #[test]
    fn a_declined_payment_leads_with_what_its_words_say() {
        use crate::sandbox::payment_outcome;
        let body = |last4: &str| {
            let o = payment_outcome(last4);
            payment_words(o.status, o.remark).1
        };
        assert_eq!(body("0036"), Msg::DeclinedBlocked);
        assert_eq!(body("0046"), Msg::DeclinedClosed);
        assert_eq!(body("0056"), Msg::DeclinedNotFound);
        assert_eq!(body("0086"), Msg::DeclinedNotFound);
        assert_eq!(body("0066"), Msg::DeclinedNotMatched);
        assert_eq!(body("0076"), Msg::DeclinedNotMatched);
        for last4 in ["0011", "0013", "0033"] {
            assert_eq!(declined_way(body(last4)), DeclinedWay::TryAgain, "{last4}");
        }
        for last4 in ["0003", "0053", "0063"] {
            assert_eq!(declined_way(body(last4)), DeclinedWay::Merchant, "{last4}");
        }
        for last4 in [
            "0016", "0023", "0036", "0046", "0056", "0066", "0043", "0096",
        ] {
            assert_eq!(
                declined_way(body(last4)),
                DeclinedWay::AnotherAccount,
                "{last4}"
            );
        }
        // The words agree: only a body leading with the same account
        // says to try again, and only the merchant's says to contact them.
        for m in Msg::ALL {
            let en = m.text(Lang::EnUs);
            if !format!("{m:?}").starts_with("Declined") || *m == Msg::DeclinedTitle {
                continue;
            }
            let says_again = en.contains("Try again") || en.contains("Authorize it again");
            assert_eq!(
                says_again,
                declined_way(*m) == DeclinedWay::TryAgain,
                "{m:?}: {en}"
            );
            let says_contact = en.contains("Contact {merchant}");
            assert_eq!(
                says_contact,
                declined_way(*m) == DeclinedWay::Merchant,
                "{m:?}: {en}"
            );
        }
    }

    /// A person is never told to fix a number that is not wrong, nor sent
    /// back to an institution that cannot be used (the sandbox's rows).
    #[test]
    fn the_rejected_steps_way_on_follows_why() {
        use crate::status::{AccountRemark as R, AccountStatus as S};
        let action = |status, remark| rejected_action(ended_msg(status, remark));
        let failed = S::ConnectionFailed;
        assert_eq!(
            action(failed, Some(R::UnableToLocateAccount)),
            Some(Msg::FixNumber)
        );
        assert_eq!(
            action(failed, Some(R::AccountClosed)),
            Some(Msg::ConnectAnother)
        );
        assert_eq!(
            action(S::Disabled, Some(R::AccountBlocked)),
            Some(Msg::ConnectAnother)
        );
        assert_eq!(
            action(S::ReconnectionRequired, None),
            Some(Msg::ConnectAgain)
        );
        assert_eq!(
            action(S::Disconnected, Some(R::AuthorizationRevokedByEndUser)),
            Some(Msg::ConnectAgain)
        );
        assert_eq!(
            action(failed, Some(R::AuthenticationFailed)),
            Some(Msg::ConnectAgain)
        );
        assert_eq!(action(failed, Some(R::InstitutionNotSupported)), None);
        // Disconnected with nothing said of why: connected again, never
        // "fix the number".
        assert_eq!(action(S::Disconnected, None), Some(Msg::ConnectAgain));
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for (name, en, es) in entries() {
            assert_eq!(placeholders(en), placeholders(es), "{name}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder_with_plain_text() {
        let s = fill(
            Msg::ReturnTo.text(Lang::EsCo),
            &[("merchant", "<b>NOVO</b>")],
        );
        assert_eq!(s, "Volver a <b>NOVO</b>");
        assert_eq!(fill("{a} and {a}", &[("a", "x")]), "x and x");
    }

    #[test]
    fn statuses_and_problems_have_messages() {
        assert_eq!(
            status_msg(crate::status::AccountStatus::Connected).text(Lang::EsCo),
            "Conectada"
        );
        // Every status and remark DRUO documents has its words.
        use crate::status::{AccountRemark, AccountStatus, PaymentStatus, TransactionRemark};
        for s in AccountStatus::ALL {
            status_msg(*s);
            for r in AccountRemark::ALL {
                ended_msg(*s, Some(*r));
            }
        }
        for s in PaymentStatus::ALL {
            transaction_status_msg(*s);
            for r in TransactionRemark::ALL {
                payment_words(*s, Some(*r));
            }
        }
        assert_eq!(
            ended_msg(
                AccountStatus::ConnectionFailed,
                Some(AccountRemark::UnableToLocateAccount)
            ),
            Msg::EndedNotFound
        );
        assert_eq!(
            ended_msg(AccountStatus::ReconnectionRequired, None),
            Msg::EndedReconnect
        );
        assert_eq!(
            payment_words(
                PaymentStatus::Failed,
                Some(TransactionRemark::ExceedsAccountLimit)
            ),
            (Msg::DeclinedTitle, Msg::DeclinedLimit)
        );
        assert_eq!(
            payment_words(
                PaymentStatus::Canceled,
                Some(TransactionRemark::AuthorizationRevokedByCustomer)
            )
            .1,
            Msg::DeclinedRevoked
        );
        use crate::form::{Field, Problem};
        assert_eq!(
            problem_msg(Field::Institution, Problem::Required),
            Msg::ErrChooseBank
        );
        assert_eq!(
            problem_msg(Field::Number, Problem::Required),
            Msg::ErrRequired
        );
        assert_eq!(
            problem_msg(Field::Number, Problem::NotAMobileNumber),
            Msg::ErrMobile
        );
        assert_eq!(
            problem_msg(Field::Confirm, Problem::Mismatch),
            Msg::ErrMismatch
        );
    }

    #[test]
    fn a_refused_length_and_the_hint_say_the_banks_own_digits() {
        use crate::dto::{Institution, InstitutionKind};
        use crate::form::{Field, Problem};
        let bank = |name: &str, kind, lengths: &[u8]| Institution {
            uuid: "ins_x".into(),
            name: name.into(),
            kind,
            subtypes: vec![],
            popularity: None,
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: lengths.to_vec(),
        };
        let bancolombia = bank("Bancolombia", InstitutionKind::Bank, &[11]);
        let davivienda = bank("Davivienda", InstitutionKind::Bank, &[]);
        let bbva = bank("BBVA Colombia", InstitutionKind::Bank, &[9, 10, 16, 20]);
        let nequi = bank("Nequi", InstitutionKind::Wallet, &[]);
        let said = |i: Option<&Institution>, l| problem_text(Field::Number, Problem::Length, i, l);
        assert_eq!(
            said(Some(&bancolombia), Lang::EnUs),
            "Bancolombia account numbers have 11 digits."
        );
        assert_eq!(
            said(Some(&bancolombia), Lang::EsCo),
            "Los números de cuenta de Bancolombia tienen 11 dígitos."
        );
        assert_eq!(
            said(Some(&bbva), Lang::EsCo),
            "Los números de cuenta de BBVA Colombia tienen 9, 10, 16 o 20 dígitos."
        );
        assert_eq!(
            said(Some(&davivienda), Lang::EnUs),
            "The account number must have 6 to 20 digits."
        );
        assert_eq!(
            said(None, Lang::EsCo),
            "El número de cuenta debe tener entre 6 y 20 dígitos."
        );
        assert_eq!(
            problem_text(Field::Confirm, Problem::Mismatch, Some(&bbva), Lang::EnUs),
            Msg::ErrMismatch.text(Lang::EnUs)
        );
        assert!(
            number_hint(Some(&bancolombia), Lang::EsCo).starts_with("Solo números, 11 dígitos.")
        );
        assert!(number_hint(None, Lang::EnUs).starts_with("Numbers only, 6 to 20 digits."));
        assert_eq!(
            number_hint(Some(&nequi), Lang::EnUs),
            Msg::MobileNumberHint.text(Lang::EnUs)
        );
    }

    #[test]
    fn the_holder_reads_naturally_in_both_languages() {
        use crate::dto::AccountHolder;
        let h = AccountHolder {
            name: "J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}".into(),
            id_type: Some("NATIONAL_ID".into()),
            id_last_4: Some("4321".into()),
        };
        let nb = '\u{a0}';
        use crate::dto::InstitutionKind::{Bank, Wallet};
        assert_eq!(
            holder_line(&h, Bank, Lang::EsCo),
            format!("La cuenta debe estar a nombre de J••• D•••, CC{nb}••••{nb}4321.")
        );
        assert_eq!(
            holder_line(&h, Bank, Lang::EnUs),
            format!("The account must be in the name of J••• D•••, ID{nb}••••{nb}4321.")
        );
        // A wallet's holder: the wallet, not an account.
        assert_eq!(
            holder_line(&h, Wallet, Lang::EsCo),
            format!("La billetera debe estar a nombre de J••• D•••, CC{nb}••••{nb}4321.")
        );
        let bare = AccountHolder {
            id_type: None,
            id_last_4: None,
            ..h
        };
        assert_eq!(
            holder_line(&bare, Bank, Lang::EnUs),
            "The account must be in the name of J••• D•••."
        );
        assert_eq!(
            holder_line(&bare, Wallet, Lang::EnUs),
            "The wallet must be in the name of J••• D•••."
        );
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        assert!(!Msg::ALL.is_empty() && !StudioMsg::ALL.is_empty() && !PreviewMsg::ALL.is_empty());
        for (name, en, es) in entries() {
            for t in [en, es] {
                assert!(!t.trim().is_empty(), "{name} is empty");
                assert_eq!(t, t.trim(), "{name} has stray whitespace");
            }
            assert_ne!(en, es, "{name} is not translated");
        }
    }

    #[test]
    fn every_colour_slot_and_state_has_a_name() {
        use crate::studio::Kind;
        use crate::theme::{CHECKOUT_SLOTS, CONNECT_SLOTS};
        for slot in CONNECT_SLOTS.iter().chain(CHECKOUT_SLOTS) {
            assert!(slot_msg(slot.field).is_some(), "{}", slot.field);
        }
        assert_eq!(slot_msg("evil"), None);
        for kind in [Kind::Connect, Kind::Checkout] {
            let names: Vec<StudioMsg> = kind.states().map(|s| preview_state_msg(kind, s)).collect();
            for (i, m) in names.iter().enumerate() {
                assert!(!names[..i].contains(m), "{kind:?}: two states named {m:?}");
            }
        }
    }

    #[test]
    fn spanish_uses_real_accents_not_ascii_fallbacks() {
        assert!(Msg::NotFoundBody.text(Lang::EsCo).contains("está"));
        assert_eq!(Msg::LanguageName.text(Lang::EsCo), "Español");
    }
}
