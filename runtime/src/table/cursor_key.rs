//! The secret that seals cursors: XChaCha20-Poly1305 with a random nonce.

use std::fmt;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, Generate, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

use crate::error::{Error, Result};

/// The length of a sealed cursor's nonce.
pub(crate) const NONCE_LEN: usize = 24;
/// The length of a sealed cursor's authentication tag.
pub(crate) const TAG_LEN: usize = 16;

/// A secret key that seals the cursors of a table handle: with it,
/// [`Table::seal_cursors`](crate::Table::seal_cursors) makes every cursor a
/// read hands out encrypted and authenticated (XChaCha20-Poly1305, a random
/// nonce per cursor), so that the string reveals nothing of the position it
/// holds and a client can neither read nor forge one.
///
/// Every process that takes a cursor back must have the key that sealed it:
/// load the same 32 bytes everywhere from a secret store
/// ([`from_bytes`](CursorKey::from_bytes)). A key made by
/// [`generate`](CursorKey::generate) lives as long as the process, and so do
/// the cursors it sealed. Changing the key invalidates every cursor handed
/// out before.
///
/// Cloning is cheap (the key is shared), the secret is wiped from memory
/// when the last clone is dropped, and `Debug` does not show it.
///
/// ```
/// use resourceful_runtime::CursorKey;
///
/// let key = CursorKey::from_bytes([7; 32]);
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// let random = CursorKey::generate();
/// # let _ = random;
/// ```
#[derive(Clone)]
pub struct CursorKey {
    cipher: Arc<XChaCha20Poly1305>,
}

impl CursorKey {
    /// A key from 32 secret bytes, such as a secret store holds.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        CursorKey {
            cipher: Arc::new(XChaCha20Poly1305::new(&Key::from(bytes))),
        }
    }

    /// A new random key from the operating system's secure random number
    /// generator, for cursors that need not outlive the process.
    ///
    /// # Panics
    ///
    /// When the operating system's random number generator fails, which
    /// modern systems do not do once booted.
    pub fn generate() -> Self {
        CursorKey {
            cipher: Arc::new(XChaCha20Poly1305::new(&Key::generate())),
        }
    }

    /// `format` then the nonce, then `plaintext` encrypted and its tag; the
    /// format byte is authenticated too.
    pub(crate) fn seal(&self, format: u8, plaintext: &[u8]) -> Result<Vec<u8>> {
        let nonce = XNonce::try_generate().map_err(|e| {
            Error::backend(
                "the system's random number generator failed, so no cursor could be sealed",
                e,
            )
        })?;
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: &[format],
                },
            )
            // Encryption fails only for messages of gigabytes.
            .expect("a cursor is small enough to encrypt");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(format);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext of `sealed` (as [`seal`](CursorKey::seal) made it), or
    /// `None` when it was altered, truncated or sealed with another key.
    pub(crate) fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        let (&format, rest) = sealed.split_first()?;
        if rest.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).ok()?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: &[format],
                },
            )
            .ok()
    }
}

impl From<[u8; 32]> for CursorKey {
    fn from(bytes: [u8; 32]) -> Self {
        CursorKey::from_bytes(bytes)
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(..)")
    }
}
